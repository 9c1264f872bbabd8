CREATE TABLE `history_months` (
	`month` text PRIMARY KEY NOT NULL,
	`incidents` integer NOT NULL,
	`maintenances` integer NOT NULL
);
--> statement-breakpoint
DROP INDEX `update_components_component_idx`;--> statement-breakpoint
CREATE INDEX `update_components_component_incident_idx` ON `update_components` (`component_id`,`incident_id`);--> statement-breakpoint
INSERT INTO `history_months` (`month`, `incidents`, `maintenances`)
SELECT substr(`started_at`, 1, 7), count(*) - total(`kind` = 'maintenance'), total(`kind` = 'maintenance')
FROM `incidents` GROUP BY substr(`started_at`, 1, 7);
