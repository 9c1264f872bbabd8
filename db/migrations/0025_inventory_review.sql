CREATE TABLE `checklist_items` (
	`id` text PRIMARY KEY NOT NULL,
	`position` integer NOT NULL,
	`label` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `component_checklist` (
	`component_id` text NOT NULL,
	`item_id` text NOT NULL,
	`ticked_by` text NOT NULL,
	`ticked_by_id` text NOT NULL,
	`ticked_at` text NOT NULL,
	PRIMARY KEY(`component_id`, `item_id`),
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`item_id`) REFERENCES `checklist_items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `component_stage_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`component_id` text NOT NULL,
	`from_stage` text NOT NULL,
	`to_stage` text NOT NULL,
	`reason` text,
	`by` text NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `component_stage_changes_component_idx` ON `component_stage_changes` (`component_id`,`at`);--> statement-breakpoint
ALTER TABLE `components` ADD `owner_team` text;--> statement-breakpoint
ALTER TABLE `components` ADD `owner_person_id` text;--> statement-breakpoint
ALTER TABLE `components` ADD `stage` text DEFAULT 'production' NOT NULL;--> statement-breakpoint
ALTER TABLE `components` ADD `runbook_url` text;--> statement-breakpoint
ALTER TABLE `components` ADD `repository_url` text;--> statement-breakpoint
ALTER TABLE `components` ADD `dashboard_url` text;--> statement-breakpoint
ALTER TABLE `components` ADD `uptime_target` text;--> statement-breakpoint
ALTER TABLE `components` ADD `sunset_at` text;--> statement-breakpoint
ALTER TABLE `components` ADD `deprecation_message` text;--> statement-breakpoint
ALTER TABLE `components` ADD `deprecated_at` text;--> statement-breakpoint
CREATE INDEX `components_stage_idx` ON `components` (`stage`);--> statement-breakpoint
ALTER TABLE `page` ADD `review_weekday` integer;--> statement-breakpoint
ALTER TABLE `page` ADD `review_hour` integer;--> statement-breakpoint
ALTER TABLE `page` ADD `public_reliability` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `page` ADD `sunset_reminder_days` integer DEFAULT 14 NOT NULL;--> statement-breakpoint
INSERT INTO `checklist_items` (`id`, `position`, `label`, `created_at`)
	SELECT `id`, `position`, `label`, '2026-12-08T00:00:00.000Z' FROM (
		SELECT 'chk_repository' AS `id`, 1 AS `position`, 'Code visible in a repository' AS `label`
		UNION ALL SELECT 'chk_runbook', 2, 'A runbook'
		UNION ALL SELECT 'chk_staging', 3, 'A staging environment'
		UNION ALL SELECT 'chk_alerts', 4, 'Alerts reach a human'
		UNION ALL SELECT 'chk_on_call', 5, 'An on-call team'
		UNION ALL SELECT 'chk_backups', 6, 'Backups restored and verified'
	) WHERE EXISTS (SELECT 1 FROM `page`);
