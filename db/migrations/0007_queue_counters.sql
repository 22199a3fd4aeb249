-- The desk's queue counts (issue 13): per status, per status and topic, and
-- per agent ("mine": assigned, open or waiting), kept like the dashboard's
-- (decision 0013): a statement-level trigger appends each statement's net
-- change per metric to counter_deltas; a count reads counters + deltas.
-- Metric names: queue:<status>, queue:<status>:<topic>, queue:mine:<agent>,
-- queue:mine:<agent>:<topic>. Merged requests are in no queue.
CREATE FUNCTION rd_queue_metrics(status text, topic text, assigned_to bigint)
RETURNS TABLE (metric text) LANGUAGE sql IMMUTABLE AS $$
  SELECT m FROM (VALUES
    (CASE WHEN status IN ('open', 'waiting', 'resolved') THEN 'queue:' || status END),
    (CASE WHEN status IN ('open', 'waiting', 'resolved') THEN 'queue:' || status || ':' || topic END),
    (CASE WHEN status IN ('open', 'waiting') AND assigned_to IS NOT NULL THEN 'queue:mine:' || assigned_to END),
    (CASE WHEN status IN ('open', 'waiting') AND assigned_to IS NOT NULL THEN 'queue:mine:' || assigned_to || ':' || topic END)
  ) AS v(m) WHERE m IS NOT NULL
$$;
--> statement-breakpoint
CREATE FUNCTION rd_count_queue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO counter_deltas (metric, delta)
      SELECT q.metric, sum(c.sign) FROM (SELECT 1 AS sign, status, topic, assigned_to FROM new_rows) c
      CROSS JOIN LATERAL rd_queue_metrics(c.status, c.topic, c.assigned_to) q
      GROUP BY q.metric HAVING sum(c.sign) <> 0;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO counter_deltas (metric, delta)
      SELECT q.metric, sum(c.sign) FROM (
        SELECT 1 AS sign, status, topic, assigned_to FROM new_rows
        UNION ALL SELECT -1, status, topic, assigned_to FROM old_rows) c
      CROSS JOIN LATERAL rd_queue_metrics(c.status, c.topic, c.assigned_to) q
      GROUP BY q.metric HAVING sum(c.sign) <> 0;
  ELSE
    INSERT INTO counter_deltas (metric, delta)
      SELECT q.metric, sum(c.sign) FROM (SELECT -1 AS sign, status, topic, assigned_to FROM old_rows) c
      CROSS JOIN LATERAL rd_queue_metrics(c.status, c.topic, c.assigned_to) q
      GROUP BY q.metric HAVING sum(c.sign) <> 0;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER support_requests_queue_insert AFTER INSERT ON support_requests
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rd_count_queue();
--> statement-breakpoint
CREATE TRIGGER support_requests_queue_update AFTER UPDATE ON support_requests
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rd_count_queue();
--> statement-breakpoint
CREATE TRIGGER support_requests_queue_delete AFTER DELETE ON support_requests
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rd_count_queue();
--> statement-breakpoint
-- Start the counts from one full count at upgrade time.
INSERT INTO counters (metric, value)
  SELECT q.metric, count(*) FROM support_requests r
  CROSS JOIN LATERAL rd_queue_metrics(r.status, r.topic, r.assigned_to) q
  GROUP BY q.metric
  ON CONFLICT (metric) DO UPDATE SET value = excluded.value;
