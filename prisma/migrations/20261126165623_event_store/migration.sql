-- CreateTable
CREATE TABLE "events" (
    "tenant_id" CHAR(24) NOT NULL,
    "id" CHAR(24) NOT NULL,
    "type" VARCHAR(16) NOT NULL,
    "link_id" VARCHAR(128) NOT NULL,
    "conversion_type" VARCHAR(64),
    "amount_cents" BIGINT,
    "currency" CHAR(3),
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "data" JSON NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seq" BIGSERIAL NOT NULL,
    "txid" BIGINT NOT NULL DEFAULT ((pg_current_xact_id())::text)::bigint,

    CONSTRAINT "events_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "link_stats_hourly" (
    "tenant_id" CHAR(24) NOT NULL,
    "link_id" VARCHAR(128) NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "type" VARCHAR(16) NOT NULL,
    "conversion_type" VARCHAR(64) NOT NULL DEFAULT '',
    "currency" VARCHAR(3) NOT NULL DEFAULT '',
    "count" BIGINT NOT NULL,
    "amount_cents" BIGINT NOT NULL DEFAULT 0,
    "first_at" TIMESTAMPTZ(3) NOT NULL,
    "last_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "link_stats_hourly_pkey" PRIMARY KEY ("tenant_id","link_id","hour","type","conversion_type","currency")
);

-- CreateIndex
CREATE INDEX "events_tenant_id_txid_seq_idx" ON "events"("tenant_id", "txid", "seq");

-- CreateIndex
CREATE INDEX "events_tenant_id_link_id_occurred_at_idx" ON "events"("tenant_id", "link_id", "occurred_at");

