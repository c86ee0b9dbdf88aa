-- AlterTable
ALTER TABLE "link_stats_hourly" ALTER COLUMN "amount_cents" SET DEFAULT 0,
ALTER COLUMN "amount_cents" SET DATA TYPE DECIMAL(38,0);

