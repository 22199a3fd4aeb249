-- The dashboard's counts (decision 0013). Each counted table has three
-- statement-level triggers (insert, update, delete: a trigger with transition
-- tables takes one event) calling one function (a branch per table and
-- event, as in PostgreSQL's transition-table audit example), which appends
-- the statement's net change per metric to counter_deltas. Appends never wait on each other,
-- so a long expiry transaction does not hold up the campaign's sends.
CREATE FUNCTION rd_count_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'users' THEN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO counter_deltas (metric, delta)
        SELECT m.metric, sum(c.sign) FROM (SELECT 1 AS sign, password_expired_at, role, disabled_at FROM new_rows) c
        CROSS JOIN LATERAL (VALUES
          ('expired', c.password_expired_at IS NOT NULL),
          ('activeUsers', c.disabled_at IS NULL),
          ('activeCustomers', c.disabled_at IS NULL AND c.role = 'customer')
        ) AS m(metric, hit)
        WHERE m.hit GROUP BY m.metric HAVING sum(c.sign) <> 0;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO counter_deltas (metric, delta)
        SELECT m.metric, sum(c.sign) FROM (SELECT 1 AS sign, password_expired_at, role, disabled_at FROM new_rows UNION ALL SELECT -1, password_expired_at, role, disabled_at FROM old_rows) c
        CROSS JOIN LATERAL (VALUES
          ('expired', c.password_expired_at IS NOT NULL),
          ('activeUsers', c.disabled_at IS NULL),
          ('activeCustomers', c.disabled_at IS NULL AND c.role = 'customer')
        ) AS m(metric, hit)
        WHERE m.hit GROUP BY m.metric HAVING sum(c.sign) <> 0;
    ELSE
      INSERT INTO counter_deltas (metric, delta)
        SELECT m.metric, sum(c.sign) FROM (SELECT -1 AS sign, password_expired_at, role, disabled_at FROM old_rows) c
        CROSS JOIN LATERAL (VALUES
          ('expired', c.password_expired_at IS NOT NULL),
          ('activeUsers', c.disabled_at IS NULL),
          ('activeCustomers', c.disabled_at IS NULL AND c.role = 'customer')
        ) AS m(metric, hit)
        WHERE m.hit GROUP BY m.metric HAVING sum(c.sign) <> 0;
    END IF;
  ELSIF TG_TABLE_NAME = 'sent_emails' THEN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO counter_deltas (metric, delta)
        SELECT m.metric, sum(c.sign) FROM (SELECT 1 AS sign, kind, status FROM new_rows) c
        CROSS JOIN LATERAL (VALUES
          ('emailed', c.kind = 'breach_notice'),
          ('delivered', c.kind = 'breach_notice' AND c.status = 'delivered'),
          ('bounced', c.status = 'bounced'),
          ('complained', c.status = 'complained')
        ) AS m(metric, hit)
        WHERE m.hit GROUP BY m.metric HAVING sum(c.sign) <> 0;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO counter_deltas (metric, delta)
        SELECT m.metric, sum(c.sign) FROM (SELECT 1 AS sign, kind, status FROM new_rows UNION ALL SELECT -1, kind, status FROM old_rows) c
        CROSS JOIN LATERAL (VALUES
          ('emailed', c.kind = 'breach_notice'),
          ('delivered', c.kind = 'breach_notice' AND c.status = 'delivered'),
          ('bounced', c.status = 'bounced'),
          ('complained', c.status = 'complained')
        ) AS m(metric, hit)
        WHERE m.hit GROUP BY m.metric HAVING sum(c.sign) <> 0;
    ELSE
      INSERT INTO counter_deltas (metric, delta)
        SELECT m.metric, sum(c.sign) FROM (SELECT -1 AS sign, kind, status FROM old_rows) c
        CROSS JOIN LATERAL (VALUES
          ('emailed', c.kind = 'breach_notice'),
          ('delivered', c.kind = 'breach_notice' AND c.status = 'delivered'),
          ('bounced', c.status = 'bounced'),
          ('complained', c.status = 'complained')
        ) AS m(metric, hit)
        WHERE m.hit GROUP BY m.metric HAVING sum(c.sign) <> 0;
    END IF;
  ELSIF TG_TABLE_NAME = 'support_requests' THEN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO counter_deltas (metric, delta)
        SELECT 'openRequests', sum(c.sign) FROM (SELECT 1 AS sign, status FROM new_rows) c
        WHERE c.status IN ('open', 'waiting') HAVING sum(c.sign) <> 0;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO counter_deltas (metric, delta)
        SELECT 'openRequests', sum(c.sign) FROM (SELECT 1 AS sign, status FROM new_rows UNION ALL SELECT -1, status FROM old_rows) c
        WHERE c.status IN ('open', 'waiting') HAVING sum(c.sign) <> 0;
    ELSE
      INSERT INTO counter_deltas (metric, delta)
        SELECT 'openRequests', sum(c.sign) FROM (SELECT -1 AS sign, status FROM old_rows) c
        WHERE c.status IN ('open', 'waiting') HAVING sum(c.sign) <> 0;
    END IF;
  ELSIF TG_TABLE_NAME = 'campaign_recipients' THEN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO counter_deltas (metric, delta)
        SELECT 'campaign:' || c.campaign_id || ':' || c.status, sum(c.sign) FROM (SELECT 1 AS sign, campaign_id, status FROM new_rows) c
        GROUP BY c.campaign_id, c.status HAVING sum(c.sign) <> 0;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO counter_deltas (metric, delta)
        SELECT 'campaign:' || c.campaign_id || ':' || c.status, sum(c.sign) FROM (SELECT 1 AS sign, campaign_id, status FROM new_rows UNION ALL SELECT -1, campaign_id, status FROM old_rows) c
        GROUP BY c.campaign_id, c.status HAVING sum(c.sign) <> 0;
    ELSE
      INSERT INTO counter_deltas (metric, delta)
        SELECT 'campaign:' || c.campaign_id || ':' || c.status, sum(c.sign) FROM (SELECT -1 AS sign, campaign_id, status FROM old_rows) c
        GROUP BY c.campaign_id, c.status HAVING sum(c.sign) <> 0;
    END IF;
  ELSIF TG_TABLE_NAME = 'audit_events' THEN
    -- A user's first reset counts once: the primary key of counted_resets
    -- settles two first resets committing at once.
    WITH firsts AS (
      INSERT INTO counted_resets (user_id)
        SELECT DISTINCT subject_id FROM new_rows WHERE action = 'password.changed' AND subject_id IS NOT NULL
        ON CONFLICT DO NOTHING
        RETURNING 1)
    INSERT INTO counter_deltas (metric, delta) SELECT 'reset', count(*) FROM firsts HAVING count(*) > 0;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER users_count_ins AFTER INSERT ON users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rd_count_changes();
--> statement-breakpoint
CREATE TRIGGER users_count_upd AFTER UPDATE ON users REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rd_count_changes();
--> statement-breakpoint
CREATE TRIGGER users_count_del AFTER DELETE ON users REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rd_count_changes();
--> statement-breakpoint
CREATE TRIGGER sent_emails_count_ins AFTER INSERT ON sent_emails REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rd_count_changes();
--> statement-breakpoint
CREATE TRIGGER sent_emails_count_upd AFTER UPDATE ON sent_emails REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rd_count_changes();
--> statement-breakpoint
CREATE TRIGGER sent_emails_count_del AFTER DELETE ON sent_emails REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rd_count_changes();
--> statement-breakpoint
CREATE TRIGGER support_requests_count_ins AFTER INSERT ON support_requests REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rd_count_changes();
--> statement-breakpoint
CREATE TRIGGER support_requests_count_upd AFTER UPDATE ON support_requests REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rd_count_changes();
--> statement-breakpoint
CREATE TRIGGER support_requests_count_del AFTER DELETE ON support_requests REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rd_count_changes();
--> statement-breakpoint
CREATE TRIGGER campaign_recipients_count_ins AFTER INSERT ON campaign_recipients REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rd_count_changes();
--> statement-breakpoint
CREATE TRIGGER campaign_recipients_count_upd AFTER UPDATE ON campaign_recipients REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rd_count_changes();
--> statement-breakpoint
CREATE TRIGGER campaign_recipients_count_del AFTER DELETE ON campaign_recipients REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rd_count_changes();
--> statement-breakpoint
CREATE TRIGGER audit_events_count_ins AFTER INSERT ON audit_events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rd_count_changes();
--> statement-breakpoint
-- Counters start from the rows already there (one scan, at upgrade time).
INSERT INTO counted_resets (user_id)
  SELECT DISTINCT subject_id FROM audit_events WHERE action = 'password.changed' AND subject_id IS NOT NULL;
--> statement-breakpoint
INSERT INTO counters (metric, value)
  SELECT 'expired', count(*) FROM users WHERE password_expired_at IS NOT NULL
  UNION ALL SELECT 'activeUsers', count(*) FROM users WHERE disabled_at IS NULL
  UNION ALL SELECT 'activeCustomers', count(*) FROM users WHERE disabled_at IS NULL AND role = 'customer'
  UNION ALL SELECT 'emailed', count(*) FROM sent_emails WHERE kind = 'breach_notice'
  UNION ALL SELECT 'delivered', count(*) FROM sent_emails WHERE kind = 'breach_notice' AND status = 'delivered'
  UNION ALL SELECT 'bounced', count(*) FROM sent_emails WHERE status = 'bounced'
  UNION ALL SELECT 'complained', count(*) FROM sent_emails WHERE status = 'complained'
  UNION ALL SELECT 'reset', count(*) FROM counted_resets
  UNION ALL SELECT 'openRequests', count(*) FROM support_requests WHERE status IN ('open', 'waiting')
  UNION ALL SELECT 'campaign:' || campaign_id || ':' || status, count(*) FROM campaign_recipients GROUP BY campaign_id, status;
