CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`subscriber_id` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text NOT NULL,
	`lease_owner` text,
	`lease_until` text,
	`message_id` text,
	`server_reply` text,
	`last_error` text,
	`sent_at` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `notification_events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_event_subscriber_idx` ON `deliveries` (`event_id`,`subscriber_id`);--> statement-breakpoint
CREATE INDEX `deliveries_pending_idx` ON `deliveries` (`next_attempt_at`) WHERE "deliveries"."state" IN ('queued', 'sending');--> statement-breakpoint
CREATE INDEX `deliveries_subscriber_idx` ON `deliveries` (`subscriber_id`);--> statement-breakpoint
CREATE TABLE `locks` (
	`name` text PRIMARY KEY NOT NULL,
	`owner` text NOT NULL,
	`heartbeat_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notification_events` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`incident_id` text,
	`update_id` text,
	`subscriber_id` text,
	`component_ids` text NOT NULL,
	`created_at` text NOT NULL,
	`fanout_cursor` text,
	`fanout_done_at` text,
	`queued` integer DEFAULT 0 NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notification_events_incident_idx` ON `notification_events` (`incident_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `secrets` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `subscriber_components` (
	`subscriber_id` text NOT NULL,
	`component_id` text NOT NULL,
	PRIMARY KEY(`subscriber_id`, `component_id`),
	FOREIGN KEY (`subscriber_id`) REFERENCES `subscribers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `subscriber_components_component_idx` ON `subscriber_components` (`component_id`);--> statement-breakpoint
CREATE TABLE `subscribers` (
	`id` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`address` text NOT NULL,
	`format` text NOT NULL,
	`state` text NOT NULL,
	`all_components` integer DEFAULT true NOT NULL,
	`webhook_secret` text,
	`owner_email` text,
	`source` text NOT NULL,
	`hard_failures` integer DEFAULT 0 NOT NULL,
	`failing_since` text,
	`confirmation_sent_at` text,
	`confirmed_at` text,
	`unsubscribed_at` text,
	`quarantined_at` text,
	`disabled_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscribers_address_idx` ON `subscribers` (`channel`,`address`);--> statement-breakpoint
CREATE INDEX `subscribers_state_idx` ON `subscribers` (`state`,`id`);