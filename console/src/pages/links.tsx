import { ago, count } from '../format.js';
import { useApi } from '../hooks.js';
import type { LinkSummary } from '../types.js';
import { Empty, ErrorBox, Placeholder } from '../ui.js';

export function LinksPage() {
  const links = useApi<{ data: LinkSummary[] }>('/v1/links?limit=200', 10_000);
  return (
    <section>
      <h1>Links</h1>
      <ErrorBox error={links.error} />
      {!links.data && !links.error && <Placeholder rows={5} />}
      {links.data && links.data.data.length === 0 && (
        <Empty title="No link activity yet.">Links appear here as soon as a click, attribution or conversion event is published for them.</Empty>
      )}
      {links.data && links.data.data.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Link</th>
                <th scope="col" class="num">
                  Clicks
                </th>
                <th scope="col" class="num">
                  Attributions
                </th>
                <th scope="col" class="num">
                  Conversions
                </th>
                <th scope="col" class="wide-only">
                  Last event
                </th>
              </tr>
            </thead>
            <tbody>
              {links.data.data.map((l) => (
                <tr key={l.link_id}>
                  <td>
                    <a href={`#/links/${encodeURIComponent(l.link_id)}`}>{l.link_id}</a>
                  </td>
                  <td class="num">{count(l.clicks)}</td>
                  <td class="num">{count(l.attributions)}</td>
                  <td class="num">{count(l.conversions)}</td>
                  <td class="wide-only">{ago(l.last_event_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
