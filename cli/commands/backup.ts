import { join, resolve } from "node:path";
import { systemClock } from "../../core/actions/clock.ts";
import {
  backupFileName,
  backupFormatFor,
  restoreBackupFile,
  verifyBackupFile,
  writeBackup,
} from "../../jobs/backups.ts";
import { loadConfig } from "../../server/config.ts";
import { openDatabase } from "../../server/database.ts";
import { MIGRATIONS_DIR } from "../../server/paths.ts";
import { booleanOption, type CommandGroup, requiredPositional, stringOption } from "../command.ts";

const backupUsage = "backup [FILE] [--format sqlite|json]";
const restoreUsage = "restore FILE [--force]";

export const backupGroups: CommandGroup[] = [
  {
    name: "backup",
    summary: "Back up the database and verify the backup.",
    commands: [
      {
        name: "",
        usage: backupUsage,
        summary:
          "Write a snapshot of the database and verify it by restoring it into a scratch database\n" +
          "(default: $HERALD_DATA/backups/; sqlite for a local file, json for any libSQL/Turso URL).",
        options: { format: { type: "string", value: "FORMAT", description: "sqlite or json" } },
        async run(ctx, parsed) {
          const config = loadConfig();
          const file = parsed.positionals[0];
          const format = backupFormatFor(file, config.databaseUrl, stringOption(parsed.values, "format"));
          const path = resolve(file ?? join(config.backupDir, backupFileName(systemClock.now(), format)));
          const db = await openDatabase(config);
          try {
            const deps = { db, databaseUrl: config.databaseUrl, clock: systemClock, migrationsDir: MIGRATIONS_DIR };
            const written = await writeBackup(deps, path, format);
            const error = await verifyBackupFile(path, written.tables, MIGRATIONS_DIR);
            const result = { path, format, rows: written.rows, bytes: written.bytes, verified: error === null, error };
            ctx.print(result, (r) =>
              [
                `Backed up ${r.rows} rows in ${Object.keys(written.tables).length} tables to ${r.path} (${r.format}, ${r.bytes} bytes).`,
                r.verified
                  ? "Verified: restored into a scratch database, every table's row count and checksum match."
                  : `The backup did NOT verify: ${r.error}`,
              ].join("\n"),
            );
            return error ? 1 : 0;
          } finally {
            db.$client.close();
          }
        },
      },
    ],
  },
  {
    name: "restore",
    summary: "Load a backup into an empty database.",
    commands: [
      {
        name: "",
        usage: restoreUsage,
        summary: "Load a backup (either format) into an empty database; --force replaces a non-empty one's content.",
        options: { force: { type: "boolean", description: "replace the content of a non-empty database" } },
        async run(ctx, parsed) {
          const file = resolve(requiredPositional(parsed, 0, "the backup file", restoreUsage));
          const db = await openDatabase(loadConfig());
          try {
            const restored = await restoreBackupFile(db, file, {
              force: booleanOption(parsed.values, "force") === true,
            });
            ctx.print({ file, ...restored }, (r) => `Restored ${r.rows} rows in ${r.tables} tables from ${r.file}.`);
            return 0;
          } finally {
            db.$client.close();
          }
        },
      },
    ],
  },
];
