export * from './auth';
export * from './clubs';
export * from './exports';
export * from './jobs';
export * from './moderation';
export * from './notifications';
export * from './rooms';
export * from './users';
