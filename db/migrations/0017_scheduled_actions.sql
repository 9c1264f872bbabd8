CREATE TABLE `scheduled_actions` (
	`id` text PRIMARY KEY NOT NULL,
	`action` text NOT NULL,
	`input` text NOT NULL,
	`incident_id` text,
	`run_at` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`failure` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `scheduled_actions_due_idx` ON `scheduled_actions` (`action`,`run_at`);--> statement-breakpoint
CREATE INDEX `scheduled_actions_incident_idx` ON `scheduled_actions` (`incident_id`);--> statement-breakpoint
-- Data move: pending timed updates (unpublished incident_updates rows, keeping their id) and scheduled
-- openings (their request) become deferred runs, in the order they were due.
INSERT INTO `scheduled_actions` (`id`, `action`, `input`, `incident_id`, `run_at`, `created_at`, `updated_at`, `created_by`, `failure`)
SELECT `id`, 'update.publish', json_object(
    'status', `status`, 'bodyMd', `body_md`, 'bodyHtml', `body_html`,
    'components', json(coalesce(`scheduled_components`, '{}')),
    'deliverNotifications', json(CASE WHEN `deliver_notifications` THEN 'true' ELSE 'false' END),
    'nextUpdateInMinutes', `next_update_in_minutes`),
  `incident_id`, coalesce(`publish_at`, `created_at`), `created_at`, `updated_at`, `created_by`, NULL
FROM `incident_updates` WHERE `published_at` IS NULL ORDER BY `publish_at`, `created_at`, `rowid`;--> statement-breakpoint
DELETE FROM `incident_updates` WHERE `published_at` IS NULL;--> statement-breakpoint
INSERT INTO `scheduled_actions` (`id`, `action`, `input`, `incident_id`, `run_at`, `created_at`, `updated_at`, `created_by`, `failure`)
SELECT `id`, 'incident.open_scheduled', `request`, NULL, `publish_at`, `created_at`, `updated_at`, `created_by`, `failure`
FROM `scheduled_openings` ORDER BY `publish_at`, `id`;--> statement-breakpoint
DROP TABLE `scheduled_openings`;--> statement-breakpoint
DROP INDEX `incident_updates_pending_idx`;