CREATE TABLE `alert_draft_alerts` (
	`draft_id` text NOT NULL,
	`alert_id` text NOT NULL,
	PRIMARY KEY(`draft_id`, `alert_id`),
	FOREIGN KEY (`draft_id`) REFERENCES `alert_drafts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `alert_draft_alerts_alert_idx` ON `alert_draft_alerts` (`alert_id`);--> statement-breakpoint
CREATE TABLE `alert_drafts` (
	`id` text PRIMARY KEY NOT NULL,
	`rule_id` text,
	`state` text NOT NULL,
	`template_id` text,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`body` text NOT NULL,
	`impact` text,
	`components` text NOT NULL,
	`next_update_in_minutes` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`remind_at` text,
	`auto_publish_at` text,
	`decided_at` text,
	`decided_by` text,
	`incident_id` text,
	FOREIGN KEY (`rule_id`) REFERENCES `alert_rules`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `alert_drafts_state_idx` ON `alert_drafts` (`state`,`created_at`);--> statement-breakpoint
CREATE TABLE `alert_evaluation` (
	`id` text PRIMARY KEY NOT NULL,
	`requested` integer DEFAULT 0 NOT NULL,
	`evaluated` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `alert_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`kind` text NOT NULL,
	`source_id` text,
	`http_status` integer,
	`summary` text NOT NULL,
	`details` text NOT NULL,
	`idempotency_key` text
);
--> statement-breakpoint
CREATE INDEX `alert_log_at_idx` ON `alert_log` (`at`);--> statement-breakpoint
CREATE UNIQUE INDEX `alert_log_idempotency_idx` ON `alert_log` (`source_id`,`idempotency_key`) WHERE "alert_log"."idempotency_key" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `alert_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`matchers` text NOT NULL,
	`source_ids` text NOT NULL,
	`component_ids` text NOT NULL,
	`statuses` text NOT NULL,
	`for_seconds` integer DEFAULT 0 NOT NULL,
	`template_id` text,
	`auto_publish_minutes` integer,
	`remind_minutes` integer DEFAULT 10 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `alert_sources` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`token_id` text NOT NULL,
	`signing_secret` text,
	`heartbeat_minutes` integer,
	`last_ping_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`token_id`) REFERENCES `api_tokens`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`source_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`status` text NOT NULL,
	`severity` text,
	`summary` text NOT NULL,
	`labels` text NOT NULL,
	`annotations` text NOT NULL,
	`url` text,
	`starts_at` text,
	`firing_since` text,
	`resolved_at` text,
	`first_received_at` text NOT NULL,
	`last_received_at` text NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `alert_sources`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_source_fingerprint_idx` ON `alerts` (`source_id`,`fingerprint`);--> statement-breakpoint
CREATE INDEX `alerts_status_idx` ON `alerts` (`status`);--> statement-breakpoint
CREATE TABLE `automated_components` (
	`component_id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`restore_status` text NOT NULL,
	`alert_ids` text NOT NULL,
	`rule_ids` text NOT NULL,
	`since` text NOT NULL,
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `component_status_changes` ADD `alert_id` text;
