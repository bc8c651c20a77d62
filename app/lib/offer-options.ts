/** What a sold-to-us book can be like, and where its offer stands. Shared by models and pages. */
export const OFFER_CONDITIONS = ["new", "like_new", "good", "fair", "poor"] as const;
export type OfferCondition = (typeof OFFER_CONDITIONS)[number];

export const CONDITION_LABELS: Record<OfferCondition, string> = {
  new: "New",
  like_new: "Like new",
  good: "Good",
  fair: "Fair",
  poor: "Poor",
};

export const OFFER_STATUSES = ["pending", "accepted", "rejected"] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export const OFFER_STATUS_LABELS: Record<OfferStatus, string> = {
  pending: "Waiting for review",
  accepted: "Accepted",
  rejected: "Declined",
};
