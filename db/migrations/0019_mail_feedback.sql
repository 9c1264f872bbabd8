ALTER TABLE `notification_events` ADD `bounced` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `notification_events` ADD `complained` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `subscribers` ADD `quarantine_reason` text;--> statement-breakpoint
ALTER TABLE `subscribers` ADD `soft_bounces` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `subscribers` SET `quarantine_reason` = 'failures' WHERE `state` = 'quarantined';