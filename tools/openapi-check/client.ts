// A small consumer of the generated client, compiled (tsc --noEmit) by ops/openapi-check.sh: if the document stops describing
// the public search or the draw flow in a way a typed client can use, this stops compiling and the build fails.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/api";

type PublicResultEntry = components["schemas"]["PublicResultEntry"];
type DrawView = components["schemas"]["DrawView"];

const api = createClient<paths>({ baseUrl: "http://127.0.0.1:5080" });

/** The anonymous public search (一公开): published results of one enterprise, newest first. */
export async function publishedResultsOf(creditCode: string): Promise<PublicResultEntry[]> {
  const { data, error } = await api.GET("/api/public/results", { params: { query: { creditCode, page: 1, pageSize: 20 } } });
  if (error !== undefined || data === undefined) throw new Error("the search was refused");
  return data;
}

/** A planner proposes the draw of a task with its declared randomness, then (once the values are in) draws it. */
export async function proposeThenDraw(token: string, planId: string, taskNumber: string): Promise<DrawView> {
  const headers = { Authorization: `Bearer ${token}`, "Idempotency-Key": crypto.randomUUID() };
  const proposed = await api.POST("/api/draws", {
    headers,
    body: {
      planId,
      taskNumber,
      loadCap: null,
      batches: null,
      sources: [{ name: "fc3d-2026087", kind: "beacon", notBefore: "2026-03-31T21:15:00+08:00", description: "福彩3D 第2026087期开奖号码" }],
      replacesDrawId: null,
    },
  });
  const draw = proposed.data?.value;
  if (!draw) throw new Error(`the proposal was refused: ${JSON.stringify(proposed.error)}`);
  const drawn = await api.POST("/api/draws/{drawId}/draw", {
    headers: { Authorization: `Bearer ${token}` },
    params: { path: { drawId: draw.id } },
    body: { version: draw.version },
  });
  if (!drawn.data) throw new Error("the draw was refused");
  const targets: number = drawn.data.targets.length;
  console.log(`${drawn.data.planNumber}/${drawn.data.taskNumber}: ${targets} targets drawn, record ${drawn.data.recordSha256 ?? "(not yet)"}`);
  return drawn.data;
}
