import type { RelationMappings } from "objection";
import { ORDER_STATUSES, type OrderStatus } from "~/lib/order-status";
import type { JSONSchema } from "objection";
import { BaseModel, schema } from "./BaseModel";
import { DeliveryProvider } from "./DeliveryProvider";
import { OrderEvent } from "./OrderEvent";
import { OrderItem } from "./OrderItem";
import { Payment } from "./Payment";

export class Order extends BaseModel {
  static override tableName = "orders";

  id!: number;
  userId!: number;
  status!: OrderStatus;
  subtotalCents!: number;
  shippingCents!: number;
  totalCents!: number;
  deliveryProviderId!: number;
  shipName!: string;
  shipLine1!: string;
  shipLine2!: string | null;
  shipCity!: string;
  shipRegion!: string;
  shipPostalCode!: string;
  shipCountry!: string;
  trackingNumber!: string | null;
  idempotencyKey!: string;

  items?: OrderItem[];
  payments?: Payment[];
  events?: OrderEvent[];
  deliveryProvider?: DeliveryProvider;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: [
      "userId",
      "status",
      "subtotalCents",
      "shippingCents",
      "totalCents",
      "deliveryProviderId",
      "shipName",
      "shipLine1",
      "shipCity",
      "shipRegion",
      "shipPostalCode",
      "shipCountry",
      "idempotencyKey",
    ],
    properties: {
      id: schema.id,
      userId: schema.id,
      status: schema.oneOf(ORDER_STATUSES),
      subtotalCents: schema.cents,
      shippingCents: schema.cents,
      totalCents: schema.cents,
      deliveryProviderId: schema.id,
      shipName: schema.text(100),
      shipLine1: schema.text(200),
      shipLine2: schema.optionalText(200),
      shipCity: schema.text(100),
      shipRegion: schema.text(100),
      shipPostalCode: schema.text(20),
      shipCountry: schema.text(60),
      trackingNumber: schema.optionalText(64),
      idempotencyKey: { type: "string", pattern: "^[A-Za-z0-9-]{16,64}$" },
      createdAt: schema.timestamp,
      updatedAt: schema.timestamp,
    },
  };

  static override relationMappings: RelationMappings = {
    items: {
      relation: BaseModel.HasManyRelation,
      modelClass: OrderItem,
      join: { from: "orders.id", to: "order_items.orderId" },
    },
    payments: {
      relation: BaseModel.HasManyRelation,
      modelClass: Payment,
      join: { from: "orders.id", to: "payments.orderId" },
    },
    events: {
      relation: BaseModel.HasManyRelation,
      modelClass: OrderEvent,
      join: { from: "orders.id", to: "order_events.orderId" },
    },
    deliveryProvider: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: DeliveryProvider,
      join: { from: "orders.deliveryProviderId", to: "delivery_providers.id" },
    },
  };
}
