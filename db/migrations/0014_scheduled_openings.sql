CREATE TABLE `scheduled_openings` (
	`id` text PRIMARY KEY NOT NULL,
	`request` text NOT NULL,
	`publish_at` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`failure` text
);
--> statement-breakpoint
CREATE INDEX `scheduled_openings_due_idx` ON `scheduled_openings` (`publish_at`);