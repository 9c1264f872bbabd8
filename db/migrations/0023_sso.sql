CREATE TABLE `oidc_logins` (
	`state` text PRIMARY KEY NOT NULL,
	`nonce` text NOT NULL,
	`code_verifier` text NOT NULL,
	`return_to` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text
);
--> statement-breakpoint
CREATE INDEX `oidc_logins_expires_idx` ON `oidc_logins` (`expires_at`);--> statement-breakpoint
ALTER TABLE `page` ADD `sso_domains` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `page` ADD `sso_default_role` text DEFAULT 'viewer' NOT NULL;