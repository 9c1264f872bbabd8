import { v2Endpoint } from "../../../../lib/v2.ts";

export const GET = v2Endpoint("incidents/unresolved.json");
