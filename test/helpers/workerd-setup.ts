import { afterAll } from "vitest";
import { stopWorkerdRuntime } from "./workerd-runtime.ts";

/** The workerd project's per-file setup: the file's sqld and Worker (started on first use) stop after it. */
afterAll(stopWorkerdRuntime);
