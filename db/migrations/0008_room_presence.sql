ALTER TABLE "rooms" ADD COLUMN "present_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "room_invites_user_idx" ON "room_invites" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "room_participants_on_stage_idx" ON "room_participants" USING btree ("user_id","room_id") WHERE "room_participants"."present" and "room_participants"."role" <> 'listener';--> statement-breakpoint
CREATE INDEX "rooms_live_open_size_idx" ON "rooms" USING btree ("present_count" DESC NULLS LAST,"started_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "rooms"."status" = 'live' and "rooms"."mode" = 'open';--> statement-breakpoint
CREATE INDEX "rooms_live_club_idx" ON "rooms" USING btree ("club_id") WHERE "rooms"."status" = 'live';--> statement-breakpoint
CREATE INDEX "rooms_live_interests_idx" ON "rooms" USING gin ("interests") WHERE "rooms"."status" = 'live';--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "users_search_name_trgm_idx" ON "users" USING gin ("search_name" gin_trgm_ops);--> statement-breakpoint
-- Presence is counted by the database: every write to room_participants (a join, a leave, a
-- webhook, a moderation decision, an erasure, a cascade) keeps rooms.present_count equal to the
-- number of people present in a live room, and nobody becomes present in a room that is full, not
-- live, or that removed them. The room's row is locked only by the statement that changes
-- presence, from its end to its commit; a join no longer holds a room-wide lock for a whole
-- transaction. A room that is not live has nobody present: its count goes to 0 when its status
-- changes (room_not_live_is_empty), and clearing the presence of its people leaves it there, so
-- ending a room of 5,000 does not rewrite the room's row 5,000 times.
CREATE FUNCTION room_presence_changed() RETURNS trigger AS $$
DECLARE
  state text;
BEGIN
  IF TG_OP = 'DELETE' OR NOT NEW.present THEN
    UPDATE rooms SET present_count = present_count - 1 WHERE id = OLD.room_id AND status = 'live';
    RETURN NULL;
  END IF;
  UPDATE rooms SET present_count = present_count + 1, empty_since = NULL
   WHERE id = NEW.room_id AND status = 'live' AND present_count < capacity;
  IF NOT FOUND THEN
    SELECT status INTO state FROM rooms WHERE id = NEW.room_id;
    IF state = 'live' THEN
      RAISE EXCEPTION 'room % is full', NEW.room_id USING ERRCODE = 'SR001';
    END IF;
    RAISE EXCEPTION 'room % is not live', NEW.room_id USING ERRCODE = 'SR002';
  END IF;
  -- Read once the room's row is locked, so a removal committed meanwhile is seen.
  IF EXISTS (SELECT 1 FROM room_removals WHERE room_id = NEW.room_id AND user_id = NEW.user_id) THEN
    RAISE EXCEPTION 'removed from room %', NEW.room_id USING ERRCODE = 'SR003';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER room_participants_enter AFTER INSERT ON room_participants
  FOR EACH ROW WHEN (NEW.present) EXECUTE FUNCTION room_presence_changed();
--> statement-breakpoint
CREATE TRIGGER room_participants_presence AFTER UPDATE OF present ON room_participants
  FOR EACH ROW WHEN (OLD.present IS DISTINCT FROM NEW.present) EXECUTE FUNCTION room_presence_changed();
--> statement-breakpoint
CREATE TRIGGER room_participants_leave AFTER DELETE ON room_participants
  FOR EACH ROW WHEN (OLD.present) EXECUTE FUNCTION room_presence_changed();
--> statement-breakpoint
CREATE FUNCTION room_not_live_is_empty() RETURNS trigger AS $$
BEGIN
  NEW.present_count := 0;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER rooms_not_live_is_empty BEFORE UPDATE OF status ON rooms
  FOR EACH ROW WHEN (NEW.status <> 'live') EXECUTE FUNCTION room_not_live_is_empty();
--> statement-breakpoint
UPDATE rooms AS r SET present_count = p.n
  FROM (SELECT room_id, count(*)::int AS n FROM room_participants WHERE present GROUP BY room_id) AS p
 WHERE r.id = p.room_id AND r.status = 'live';
