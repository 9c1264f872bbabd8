CREATE TABLE `backups` (
	`id` text PRIMARY KEY NOT NULL,
	`format` text NOT NULL,
	`path` text NOT NULL,
	`bytes` integer,
	`started_at` text NOT NULL,
	`finished_at` text,
	`verification` text DEFAULT 'pending' NOT NULL,
	`verified_at` text,
	`tables` text,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `backups_started_idx` ON `backups` (`started_at`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` text NOT NULL,
	`hits` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `uptime_daily` (
	`component_id` text NOT NULL,
	`day` text NOT NULL,
	`operational_ms` integer DEFAULT 0 NOT NULL,
	`degraded_ms` integer DEFAULT 0 NOT NULL,
	`partial_ms` integer DEFAULT 0 NOT NULL,
	`major_ms` integer DEFAULT 0 NOT NULL,
	`maintenance_ms` integer DEFAULT 0 NOT NULL,
	`worst` text,
	PRIMARY KEY(`component_id`, `day`),
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
DROP INDEX `jobs_due_idx`;--> statement-breakpoint
ALTER TABLE `jobs` ADD `dedupe_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE `jobs` SET `dedupe_key` = 'legacy:' || `id`;--> statement-breakpoint
ALTER TABLE `jobs` ADD `state` text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE `jobs` ADD `died_at` text;--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_dedupe_idx` ON `jobs` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `jobs_due_idx` ON `jobs` (`state`,`kind`,`run_at`);--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `from_environment` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `incident_updates` ADD `publish_at` text;--> statement-breakpoint
ALTER TABLE `incident_updates` ADD `published_at` text;--> statement-breakpoint
UPDATE `incident_updates` SET `publish_at` = `created_at`, `published_at` = `created_at`;--> statement-breakpoint
CREATE INDEX `incident_updates_pending_idx` ON `incident_updates` (`publish_at`) WHERE "incident_updates"."published_at" IS NULL;