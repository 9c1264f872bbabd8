ALTER TABLE `incidents` ADD `next_update_due_at` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `postmortem_md` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `postmortem_html` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `postmortem_published_at` text;