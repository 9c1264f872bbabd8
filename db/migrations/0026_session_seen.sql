ALTER TABLE `console_sessions` ADD `last_seen_at` text;--> statement-breakpoint
ALTER TABLE `console_sessions` ADD `user_agent` text;