-- CreateTable
CREATE TABLE "delivery_attempts" (
    "id" CHAR(24) NOT NULL,
    "tenant_id" CHAR(24) NOT NULL,
    "webhook_id" CHAR(24) NOT NULL,
    "event_id" CHAR(24) NOT NULL,
    "event_type" VARCHAR(16) NOT NULL,
    "attempt" SMALLINT NOT NULL,
    "tier" VARCHAR(16) NOT NULL,
    "outcome" VARCHAR(16) NOT NULL,
    "status_code" SMALLINT,
    "error" VARCHAR(64),
    "next" VARCHAR(16) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dead_letter_replays" (
    "topic" VARCHAR(249) NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset" BIGINT NOT NULL,
    "webhook_id" CHAR(24) NOT NULL,
    "event_id" CHAR(24) NOT NULL,
    "replayed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dead_letter_replays_pkey" PRIMARY KEY ("topic","partition","offset")
);

-- CreateIndex
CREATE INDEX "delivery_attempts_tenant_id_webhook_id_at_id_idx" ON "delivery_attempts"("tenant_id", "webhook_id", "at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "delivery_attempts_tenant_id_webhook_id_event_id_idx" ON "delivery_attempts"("tenant_id", "webhook_id", "event_id");

-- CreateIndex
CREATE INDEX "delivery_attempts_at_idx" ON "delivery_attempts"("at");

