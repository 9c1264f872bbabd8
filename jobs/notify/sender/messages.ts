import { inArray } from "drizzle-orm";
import type {
  ChannelContext,
  ChannelName,
  Deliveries,
  MessageBuilder,
  NotificationEvent,
} from "../../../core/notifications/channel.ts";
import type { Db } from "../../../db/client.ts";
import { notificationEvents } from "../../../db/schema.ts";

/** Events kept (with their builders) between leases: a fan-out's rows come event by event. */
const EVENT_CACHE = 64;

/**
 * The events of leased deliveries and each channel's message builder for them, read and made once per
 * event (`forEvent` loads the incident and renders its view); forgotten all at once past EVENT_CACHE events.
 */
export class MessageBuilders {
  private readonly events = new Map<string, NotificationEvent | null>();
  private readonly builders = new Map<string, MessageBuilder<ChannelName> | null>();
  private readonly db: Db;
  private readonly channels: Deliveries;
  private readonly context: ChannelContext;

  constructor(db: Db, channels: Deliveries, context: ChannelContext) {
    this.db = db;
    this.channels = channels;
    this.context = context;
  }

  /** The stored event, or null when it is gone. */
  async eventOf(id: string): Promise<NotificationEvent | null> {
    if (!this.events.has(id)) {
      if (this.events.size >= EVENT_CACHE) {
        this.events.clear();
        this.builders.clear();
      }
      const [row] = await this.db
        .select()
        .from(notificationEvents)
        .where(inArray(notificationEvents.id, [id]));
      this.events.set(id, row ?? null);
    }
    return this.events.get(id) ?? null;
  }

  /** The event's builder on `channel`, or null when the channel is not served or has nothing to send for it. */
  async builderOf(event: NotificationEvent, channel: ChannelName): Promise<MessageBuilder<ChannelName> | null> {
    const key = `${event.id}:${channel}`;
    if (!this.builders.has(key)) {
      const delivery = this.channels[channel];
      this.builders.set(key, delivery ? await delivery.channel.forEvent(this.context, event) : null);
    }
    return this.builders.get(key) ?? null;
  }
}
