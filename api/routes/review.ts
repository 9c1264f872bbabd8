import { readReview } from "../../core/review/read-review.ts";
import { reviewCsvStream } from "../../core/review/review-csv.ts";
import { reviewSchema } from "../../core/review/review-schema.ts";
import { snakeKeys } from "../../core/review/snake-keys.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "review";

export const readReviewRoute = operationRoute(readReview, {
  method: "get",
  path: "/api/review",
  summary: "The reliability review of a period (docs/review.md)",
  tag,
  status: 200,
  response: reviewSchema,
  respond: (review) => snakeKeys(review),
  responseDescription:
    "the period's figures and the previous period's, overall, per component and per commander, each with the incidents behind it",
});

export const reviewCsvRoute = operationRoute(readReview, {
  method: "get",
  path: "/api/review.csv",
  summary: "The reliability review as CSV",
  tag,
  status: 200,
  produces: "text/csv; charset=utf-8",
  filename: "review.csv",
  download: reviewCsvStream,
  responseDescription:
    "text/csv: the summary (figure, unit, this_period, previous_period), a blank line, then one row per incident of the period with its figures",
});

export const reviewRoutes: AdminRoute[] = [readReviewRoute, reviewCsvRoute];
