ALTER TABLE `incident_updates` ADD `next_update_in_minutes` integer;--> statement-breakpoint
ALTER TABLE `incident_updates` ADD `scheduled_components` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `auto_start` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `incidents` ADD `auto_complete` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `incidents` ADD `cancelled_at` text;