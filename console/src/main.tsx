import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { session, whenUnauthorized } from './api.js';
import { useRoute } from './hooks.js';
import { DeadLettersPage } from './pages/dead-letters.js';
import { DeliveriesPage } from './pages/deliveries.js';
import { DeliveryPage } from './pages/delivery.js';
import { LinkPage } from './pages/link.js';
import { LinksPage } from './pages/links.js';
import { SignIn } from './pages/signin.js';
import { WebhooksPage } from './pages/webhooks.js';
import { Empty } from './ui.js';

function App() {
  const [key, setKey] = useState(session.key());
  const [notice, setNotice] = useState<string | undefined>();
  const route = useRoute();
  useEffect(
    () =>
      whenUnauthorized((message) => {
        session.clear();
        setNotice(message);
        setKey(null);
      }),
    [],
  );
  if (!key) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(k) => {
          session.set(k);
          setNotice(undefined);
          setKey(k);
        }}
      />
    );
  }
  const [section = 'webhooks', id, sub, subId] = route;
  return (
    <>
      <header class="topbar">
        <a class="brand" href="#/webhooks" aria-label="Rift console">
          <img src="/console/favicon.svg" alt="" width="24" height="24" /> <span class="brand-text">Rift console</span>
        </a>
        <nav aria-label="Sections">
          <a href="#/webhooks" aria-current={section === 'webhooks' ? 'page' : undefined}>
            Webhooks
          </a>
          <a href="#/links" aria-current={section === 'links' ? 'page' : undefined}>
            Links
          </a>
        </nav>
        <button
          type="button"
          class="btn btn-quiet"
          onClick={() => {
            session.clear();
            setKey(null);
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main">{page(section, id, sub, subId)}</main>
    </>
  );
}

function page(section: string, id?: string, sub?: string, subId?: string) {
  if (section === 'webhooks' && !id) return <WebhooksPage />;
  if (section === 'webhooks' && id && !sub) return <DeliveriesPage webhookId={id} />;
  if (section === 'webhooks' && id && sub === 'dead-letters') return <DeadLettersPage webhookId={id} />;
  if (section === 'webhooks' && id && sub === 'events' && subId) return <DeliveryPage webhookId={id} eventId={subId} />;
  if (section === 'links' && !id) return <LinksPage />;
  if (section === 'links' && id) return <LinkPage linkId={id} />;
  return (
    <Empty title="This page does not exist.">
      <a href="#/webhooks">Go to your webhooks</a>
    </Empty>
  );
}

render(<App />, document.getElementById('app')!);
