// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Error {
      message: string;
      /** Quoted by the visitor to find the matching server log line. */
      requestId?: string;
      /** What was not found, when a page can say more than "page not found". */
      reason?: 'user.not_found';
    }
    interface PageData {
      /** The signed-in member, from the root layout; null when signed out. */
      me: import('$lib/types').Me | null;
    }
  }
}

export {};
