import { taskQuerySchema } from '../../contracts/incident-api.js';
import { taskViews } from '../../contracts/incident-views.js';
import type { TaskListItem, TaskPageAnswer } from '../../contracts/api-answers.js';
import { errorResponses, ok } from '../../contracts/openapi.js';
import { samePerson } from '../../domain/identity.js';
import { json } from '../../shared/http.js';
import { route } from './route.js';

/** At most this many open incidents are read for one page of tasks (its `next` goes on from there). */
const TASK_SCAN_MAX = 500;

/** GET /api/tasks */
export const TASK_ROUTES = [
  route({
    method: 'GET',
    path: '/api/tasks',
    permission: 'view',
    query: { schema: taskQuerySchema, what: 'tasks query' },
    doc: {
      summary: 'Response tasks across open incidents (owner=me for "my tasks"), paged in the incidents\' deadline order (limit, next), soonest due first within a page',
      responses: { ...ok('{ now, owner, tasks, next }'), 401: errorResponses[401], 403: errorResponses[403], 400: errorResponses[400] },
    },
    // Tasks across open incidents: "my tasks" (owner=me), someone's, a role's, or everyone's. Paged like the
    // incidents: incident by incident in the open index's order (most urgent deadline first), 25 at a time,
    // until `limit` tasks or 500 incidents are read; soonest due first within a page. A page holds the tasks
    // of whole incidents, so it may pass `limit` by the tasks of one read of 25.
    handle: async ({ query: q, actor, now }, deps) => {
      const owner = q.owner === 'me' ? actor : q.owner;
      const tasks: TaskListItem[] = [];
      let after = q.next;
      for (let scanned = 0; scanned < TASK_SCAN_MAX && tasks.length < q.limit; ) {
        const page = await deps.store.pageOpenIncidents({ limit: 25, ...(after ? { after } : {}) });
        for (const incident of page.incidents) {
          for (const task of taskViews(incident, now)) {
            if ((q.status === 'all' || task.status === q.status) && (!owner || samePerson(task.owner, owner)) && (!q.role || task.role === q.role)) {
              tasks.push({ incidentId: incident.id, incidentTitle: incident.title, incidentSeverity: incident.severity, ...task });
            }
          }
        }
        scanned += 25;
        after = page.next;
        if (!after) break;
      }
      tasks.sort((a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999') || a.incidentId.localeCompare(b.incidentId));
      return json(200, { now: now.toISOString(), owner: owner ?? null, tasks, next: after ?? null } satisfies TaskPageAnswer);
    },
  }),
];
