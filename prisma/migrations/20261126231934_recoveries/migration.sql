-- CreateTable
CREATE TABLE "recoveries" (
    "id" CHAR(24) NOT NULL,
    "tenant_id" CHAR(24) NOT NULL,
    "webhook_id" CHAR(24) NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "until" TIMESTAMPTZ(3) NOT NULL,
    "matched" INTEGER NOT NULL,
    "skipped_in_flight" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recoveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "manual_deliveries" (
    "id" CHAR(24) NOT NULL,
    "tenant_id" CHAR(24) NOT NULL,
    "webhook_id" CHAR(24) NOT NULL,
    "event_id" CHAR(24) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "recover_id" CHAR(24),
    "queued_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "manual_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "recoveries_webhook_id_created_at_idx" ON "recoveries"("webhook_id", "created_at");

-- CreateIndex
CREATE INDEX "manual_deliveries_webhook_id_event_id_queued_at_idx" ON "manual_deliveries"("webhook_id", "event_id", "queued_at");

-- CreateIndex
CREATE INDEX "manual_deliveries_recover_id_idx" ON "manual_deliveries"("recover_id");

