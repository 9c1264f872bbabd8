import {
  deprecateComponentRoute,
  sunsetComponentRoute,
  undeprecateComponentRoute,
} from "../../api/routes/component-sunset.ts";
import type { RetiringComponent } from "../../core/inventory/sunset/view.ts";
import type { Api } from "../api-client.ts";
import { type Command, requiredOption, requiredPositional } from "../command.ts";
import { loadComponents, resolveComponent } from "../component-names.ts";
import { parseTime } from "../time-option.ts";

const deprecateUsage = 'component deprecate COMPONENT --sunset TIME --message "TEXT"';

/** `herald component deprecate`: a notice on the page, the component's subscribers told, sunset on the date. */
export const deprecateCommand: Command = {
  name: "deprecate",
  usage: deprecateUsage,
  summary: "Deprecate a component: the page shows a notice, its subscribers are told, it leaves the page on the date.",
  options: {
    sunset: { type: "string", value: "TIME", description: "when it leaves the page: ISO time with zone, or now+30d" },
    message: { type: "string", value: "TEXT", description: "what users should do instead (Markdown)" },
  },
  fieldOptions: { sunset_at: "sunset", message: "message" },
  notes:
    'Example: herald component deprecate "Legacy API" --sunset 2027-03-01T00:00:00Z --message "Move to API v2: https://docs.acme.test/v2"',
  async run(ctx, parsed) {
    const reference = requiredPositional(parsed, 0, "the component's id or name", deprecateUsage);
    const sunsetAt = parseTime(requiredOption(parsed.values, "sunset", deprecateUsage), "sunset");
    const message = requiredOption(parsed.values, "message", deprecateUsage);
    const api = ctx.api();
    const component = resolveComponent(await loadComponents(api), reference);
    const done = await api.run(deprecateComponentRoute, { id: component.id, sunset_at: sunsetAt, message });
    ctx.print(done, (c) => `${c.name} is deprecated; it leaves the page at ${c.sunset_at}. Its subscribers are told.`);
    return 0;
  },
};

/** `herald component undeprecate` and `sunset`: only the component. */
function stageCommand(spec: {
  name: string;
  summary: string;
  call: (api: Api, id: string) => Promise<RetiringComponent>;
  said: (c: RetiringComponent) => string;
}): Command {
  const usage = `component ${spec.name} COMPONENT`;
  return {
    name: spec.name,
    usage,
    summary: spec.summary,
    async run(ctx, parsed) {
      const reference = requiredPositional(parsed, 0, "the component's id or name", usage);
      const api = ctx.api();
      const component = resolveComponent(await loadComponents(api), reference);
      ctx.print(await spec.call(api, component.id), spec.said);
      return 0;
    },
  };
}

export const undeprecateCommand = stageCommand({
  name: "undeprecate",
  summary: "Take a deprecation back: the component returns to production (nobody is mailed).",
  call: (api, id) => api.run(undeprecateComponentRoute, { id }),
  said: (c) => `${c.name} is back in production; its notice is gone.`,
});

export const sunsetCommand = stageCommand({
  name: "sunset",
  summary: "Sunset a deprecated component now: it leaves the page; its history stays.",
  call: (api, id) => api.run(sunsetComponentRoute, { id }),
  said: (c) => `${c.name} is sunset: it has left the page.`,
});
