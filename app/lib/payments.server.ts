/**
 * Card payments behind one interface, handed to actions through the load
 * context, so a real processor can replace the simulated one without touching
 * checkout. The flow is the processors' usual one: authorize (hold the
 * money) before the order is written, capture once it is committed, void the
 * hold if the order cannot be placed, refund a cancelled order.
 *
 * Card numbers and CVCs go to the gateway and nowhere else: never stored,
 * never logged. What we keep is the brand and the last four digits.
 */
import crypto from "node:crypto";
import { cardBrand, type CardBrand } from "./card";

export interface CardDetails {
  /** Digits only, Luhn-valid (checked by the form). */
  number: string;
  expiry: { month: number; year: number };
  cvc: string;
}

export interface AuthorizationRequest {
  amountCents: number;
  card: CardDetails;
  /** The same key always gives the same authorization: a retried request holds the money once. */
  idempotencyKey: string;
}

export type Authorization =
  | { approved: true; reference: string; brand: CardBrand; last4: string }
  | { approved: false; code: "card_declined" | "insufficient_funds"; message: string };

export interface PaymentGateway {
  authorize(request: AuthorizationRequest): Promise<Authorization>;
  capture(reference: string): Promise<void>;
  void(reference: string): Promise<void>;
  refund(reference: string, amountCents: number): Promise<void>;
}

/**
 * Test cards, as the big processors' test modes have them: 4000 0000 0000 0002
 * is declined, 4000 0000 0000 9995 has insufficient funds, and every other
 * valid number (4242 4242 4242 4242 among them) is approved.
 */
export const TEST_CARDS = {
  approved: "4242424242424242",
  declined: "4000000000000002",
  insufficientFunds: "4000000000009995",
} as const;

export function createSimulatedGateway(): PaymentGateway {
  return {
    async authorize({ amountCents, card, idempotencyKey }) {
      if (card.number === TEST_CARDS.declined) {
        return { approved: false, code: "card_declined", message: "Your card was declined." };
      }
      if (card.number === TEST_CARDS.insufficientFunds) {
        return {
          approved: false,
          code: "insufficient_funds",
          message: "Your card was declined for insufficient funds.",
        };
      }
      const reference = `sim_${crypto
        .createHash("sha256")
        .update(`${idempotencyKey}:${card.number.slice(-4)}:${amountCents}`)
        .digest("hex")
        .slice(0, 24)}`;
      return {
        approved: true,
        reference,
        brand: cardBrand(card.number),
        last4: card.number.slice(-4),
      };
    },
    async capture() {},
    async void() {},
    async refund() {},
  };
}
