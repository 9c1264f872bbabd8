CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`last_used_at` text,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash_idx` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text NOT NULL,
	`details` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_target_idx` ON `audit_log` (`target_type`,`target_id`);--> statement-breakpoint
CREATE TABLE `component_status_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`component_id` text NOT NULL,
	`old_status` text NOT NULL,
	`new_status` text NOT NULL,
	`at` text NOT NULL,
	`incident_id` text,
	`update_id` text,
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `component_status_changes_component_idx` ON `component_status_changes` (`component_id`,`at`);--> statement-breakpoint
CREATE TABLE `components` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`status` text DEFAULT 'operational' NOT NULL,
	`group_id` text,
	`is_group` integer DEFAULT false NOT NULL,
	`position` integer NOT NULL,
	`showcase` integer DEFAULT true NOT NULL,
	`only_show_if_degraded` integer DEFAULT false NOT NULL,
	`start_date` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `components_group_idx` ON `components` (`group_id`,`position`);--> statement-breakpoint
CREATE TABLE `incident_updates` (
	`id` text PRIMARY KEY NOT NULL,
	`incident_id` text NOT NULL,
	`status` text NOT NULL,
	`body_md` text NOT NULL,
	`body_html` text NOT NULL,
	`display_at` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deliver_notifications` integer DEFAULT true NOT NULL,
	`created_by` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `incident_updates_incident_idx` ON `incident_updates` (`incident_id`,`display_at`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`impact` text NOT NULL,
	`impact_override` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`started_at` text NOT NULL,
	`monitoring_at` text,
	`resolved_at` text,
	`scheduled_for` text,
	`scheduled_until` text
);
--> statement-breakpoint
CREATE INDEX `incidents_created_idx` ON `incidents` (`created_at`);--> statement-breakpoint
CREATE INDEX `incidents_open_idx` ON `incidents` (`resolved_at`);--> statement-breakpoint
CREATE INDEX `incidents_kind_created_idx` ON `incidents` (`kind`,`created_at`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`run_at` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`lease_owner` text,
	`lease_until` text,
	`last_error` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `jobs_due_idx` ON `jobs` (`kind`,`run_at`);--> statement-breakpoint
CREATE TABLE `page` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`time_zone` text DEFAULT 'Etc/UTC' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `update_components` (
	`update_id` text NOT NULL,
	`incident_id` text NOT NULL,
	`component_id` text NOT NULL,
	`component_name` text NOT NULL,
	`old_status` text NOT NULL,
	`new_status` text NOT NULL,
	PRIMARY KEY(`update_id`, `component_id`),
	FOREIGN KEY (`update_id`) REFERENCES `incident_updates`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `update_components_incident_idx` ON `update_components` (`incident_id`);--> statement-breakpoint
CREATE INDEX `update_components_component_idx` ON `update_components` (`component_id`);