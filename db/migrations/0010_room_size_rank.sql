DROP INDEX "rooms_live_open_size_idx";--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "size_rank" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "rooms_live_open_size_idx" ON "rooms" USING btree ("size_rank" DESC NULLS LAST) WHERE "rooms"."status" = 'live' and "rooms"."mode" = 'open';--> statement-breakpoint
-- A join must not rewrite every index of its room: rooms.present_count is in no index any more, so
-- the presence counter updates the room's row in place (HOT) unless the room changes size class.
-- Room to do so on the row's own page:
ALTER TABLE "rooms" SET (fillfactor = 80);
--> statement-breakpoint
-- The count itself up to 31, then one class per ~9% of growth (32·2^(k/8)).
CREATE FUNCTION room_size_rank(n integer) RETURNS smallint AS $$
  SELECT (CASE WHEN n < 32 THEN n ELSE 32 + floor(8 * log(2, n / 32.0))::integer END)::smallint
$$ LANGUAGE sql IMMUTABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION room_presence_changed() RETURNS trigger AS $$
DECLARE
  state text;
BEGIN
  IF TG_OP = 'DELETE' OR NOT NEW.present THEN
    UPDATE rooms SET present_count = present_count - 1, size_rank = room_size_rank(present_count - 1)
     WHERE id = OLD.room_id AND status = 'live';
    RETURN NULL;
  END IF;
  UPDATE rooms
     SET present_count = present_count + 1, size_rank = room_size_rank(present_count + 1), empty_since = NULL
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
CREATE OR REPLACE FUNCTION room_not_live_is_empty() RETURNS trigger AS $$
BEGIN
  NEW.present_count := 0;
  NEW.size_rank := 0;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
UPDATE rooms SET size_rank = room_size_rank(present_count) WHERE present_count > 0;
