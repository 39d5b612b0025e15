/** `/incident declare [title]`: opens the declare modal at once, then fills in services and priorities. */

import { listShape, PriorityShape } from '../../../../tools/shapes.js';
import { buildDeclareModal } from '../../../blocks/modals.js';
import { ServiceListShape } from '../../../incident-view.js';
import { openThenLoad } from '../../modal-openers.js';
import type { CommandContext } from '../command-context.js';

const PriorityListShape = listShape(PriorityShape);

export async function declareSubcommand(ctx: CommandContext, title: string | null): Promise<void> {
  const meta = { channelId: ctx.channelId };
  const runner = ctx.deps.services.runner;
  await openThenLoad(
    ctx.deps,
    ctx.triggerId,
    buildDeclareModal({ title, services: null, priorities: [] }, meta) as never,
    'load services from PagerDuty',
    async () => {
      const [services, priorities] = await Promise.all([
        runner.read('list_services', { limit: 500 }).then((o) => ServiceListShape.parse(o)),
        runner
          .read('list_priorities', {})
          .then((o) => PriorityListShape.parse(o).items.map((p) => p.name))
          .catch(() => [] as string[]),
      ]);
      return buildDeclareModal(
        { title, services: services.items.map((s) => ({ id: s.id, name: s.name })), priorities },
        meta,
      );
    },
  );
}
