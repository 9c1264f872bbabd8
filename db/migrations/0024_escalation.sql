CREATE TABLE `escalation_levels` (
	`id` text PRIMARY KEY NOT NULL,
	`position` integer NOT NULL,
	`delay_minutes` integer NOT NULL,
	`person_ids` text NOT NULL,
	`team_channels` text NOT NULL,
	`daytime_only` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `escalation_levels_position_unique` ON `escalation_levels` (`position`);--> statement-breakpoint
CREATE TABLE `escalations` (
	`id` text PRIMARY KEY NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`due_at` text NOT NULL,
	`level` integer NOT NULL,
	`last_notified_at` text NOT NULL,
	`stopped_at` text,
	`stopped_by` text
);
--> statement-breakpoint
CREATE INDEX `escalations_open_idx` ON `escalations` (`stopped_at`,`subject_type`);--> statement-breakpoint
ALTER TABLE `incidents` ADD `commander_id` text;