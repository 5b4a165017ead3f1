-- Webhook delivery ids (issue 04): a forge that repeats a delivery (a retry, a replay from its
-- settings page) sends the same id; one seen before does nothing, also after a restart. Rows older
-- than the retention (7 days) are pruned by the controller.
CREATE TABLE webhook_deliveries (
    delivery CHARACTER VARYING(200) PRIMARY KEY,
    received TIMESTAMP(9) WITH TIME ZONE NOT NULL
);
CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received);
