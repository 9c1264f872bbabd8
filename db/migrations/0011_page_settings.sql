ALTER TABLE `page` ADD `logo_url` text;--> statement-breakpoint
ALTER TABLE `page` ADD `favicon_url` text;--> statement-breakpoint
ALTER TABLE `page` ADD `brand_color` text;--> statement-breakpoint
ALTER TABLE `page` ADD `support_url` text;--> statement-breakpoint
ALTER TABLE `page` ADD `team_email` text;--> statement-breakpoint
ALTER TABLE `page` ADD `default_next_update_minutes` integer;--> statement-breakpoint
ALTER TABLE `page` ADD `sender_name` text;--> statement-breakpoint
ALTER TABLE `page` ADD `sender_address` text;