CREATE TABLE "room_creation_keys" (
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"room_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "room_creation_keys_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
ALTER TABLE "room_creation_keys" ADD CONSTRAINT "room_creation_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_creation_keys" ADD CONSTRAINT "room_creation_keys_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "room_creation_keys_created_idx" ON "room_creation_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "room_creation_keys_room_idx" ON "room_creation_keys" USING btree ("room_id");