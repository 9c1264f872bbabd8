import type { ComponentStatus } from "../../model/statuses.ts";
import type { AutomatedRow, Hold } from "./state.ts";

/** What the automation does to one component (docs/alerts.md, "Rules and what an alert does"). */
export type ComponentDecision =
  /** Moves it to `to`; `existing` is the hold it moves within (null: a new hold, remembering `restoreStatus`). */
  | {
      kind: "move";
      componentId: string;
      from: ComponentStatus;
      to: ComponentStatus;
      restoreStatus: ComponentStatus;
      /** The alert that asks for the worst status: the status change's source. */
      alertId: string;
      alertIds: string[];
      ruleIds: string[];
      existing: AutomatedRow | null;
      /** A person changed it since the automation's hold began: the old hold ends first. */
      released: AutomatedRow | null;
    }
  /** Every alert holding it resolved: back to the status before the automation's first move. */
  | { kind: "restore"; componentId: string; from: ComponentStatus; to: ComponentStatus; existing: AutomatedRow }
  /** A person changed it while held: the person wins, the hold ends, nothing moves. */
  | { kind: "release"; componentId: string; status: ComponentStatus; existing: AutomatedRow }
  /** Held at the same status by a different set of alerts. */
  | { kind: "regroup"; componentId: string; existing: AutomatedRow; alertIds: string[]; ruleIds: string[] }
  /** It would move but may not: under maintenance, or named by a person's open incident. */
  | {
      kind: "skip";
      componentId: string;
      reason: "maintenance" | "incident";
      hold: Hold | null;
      desired: ComponentStatus;
      /** When the earliest of the alerts asking for the move began firing (one log line per episode). */
      since: string;
    };
