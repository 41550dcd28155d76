/* Growthpilot dynamic cart recs (see docs/storefront.md). Idle until the drawer opens or the cart
 * changes; data from the signed app proxy + /products/<handle>.js; DOM via textContent only. */
(function () {
  'use strict';
  if (window.__gpCart) return;
  window.__gpCart = true;

  var nativeFetch = window.fetch.bind(window);
  var root = (window.Shopify && Shopify.routes && Shopify.routes.root) || '/';
  /* The app proxy's storefront path: merchants can change its prefix (/apps, /a, /community,
   * /tools) and sub path in their admin (shopify.dev/docs/apps/build/online-store/app-proxies,
   * "User customization"), so it comes from the block setting, never a constant. */
  var PROXY_PATH = /^\/(apps|a|community|tools)\/[A-Za-z0-9_-]{1,30}$/;
  var DEFAULT_PROXY = '/apps/growthpilot';
  function endpoint(box) {
    var path = (box.getAttribute('data-gp-proxy') || '').trim().replace(/\/+$/, '');
    return (PROXY_PATH.test(path) ? path : DEFAULT_PROXY) + '/recs';
  }
  var CLICKS = '_gp_clicks';
  var CART_CHANGE = /\/cart\/(add|change|update|clear)(\.js)?(\?|$)/;
  var cache = {};
  var timer = 0;

  function json(url, init) {
    return nativeFetch(url, init).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    });
  }

  function money(cents) {
    var currency = (window.Shopify && Shopify.currency && Shopify.currency.active) || 'USD';
    try {
      return new Intl.NumberFormat(document.documentElement.lang || undefined, { style: 'currency', currency: currency }).format(cents / 100);
    } catch (e) {
      return (cents / 100).toFixed(2);
    }
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  /* Click-through attribution: "<block>:<product id>" entries in the _gp_clicks cart attribute. */
  document.addEventListener('click', function (event) {
    var link = event.target && event.target.closest && event.target.closest('[data-gp-click]');
    if (!link) return;
    var entry = link.getAttribute('data-gp-click');
    if (!/^[a-z_]{1,20}:\d{1,20}$/.test(entry)) return;
    var list = [];
    try { list = (sessionStorage.getItem(CLICKS) || '').split(',').filter(Boolean); } catch (e) {}
    var id = entry.split(':')[1];
    list = list.filter(function (x) { return x.split(':')[1] !== id; }).concat(entry).slice(-20);
    try { sessionStorage.setItem(CLICKS, list.join(',')); } catch (e) {}
    var attributes = {};
    attributes[CLICKS] = list.join(',');
    nativeFetch(root + 'cart/update.js', {
      method: 'POST',
      keepalive: true,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ attributes: attributes })
    }).catch(function () {});
  }, true);

  function containers() {
    return Array.prototype.slice.call(document.querySelectorAll('[data-gp-cart-recs],[data-gp-drawer]'));
  }

  /* Puts the drawer mount before the theme's drawer footer (drawers get re-rendered wholesale). */
  function place(box) {
    if (!box.hasAttribute('data-gp-drawer')) return box;
    var target = null;
    try { target = document.querySelector(box.getAttribute('data-gp-mount') || ''); } catch (e) {}
    if (!target) return null;
    if (box.nextElementSibling !== target) target.parentNode.insertBefore(box, target);
    return target;
  }

  function render(box, products) {
    var source = box.getAttribute('data-gp-source') || 'cart';
    var showPrice = box.getAttribute('data-gp-show-price') !== 'false';
    var addLabel = box.getAttribute('data-gp-add') || 'Add';
    var headingId = 'GpHeading-' + source + '-dynamic';
    box.textContent = '';
    if (!products.length) {
      box.hidden = true;
      return;
    }
    var section = el('section', 'gp-recs gp-recs--grid gp-recs--' + source);
    section.setAttribute('aria-labelledby', headingId);
    var h = el('h2', 'gp-recs__heading', box.getAttribute('data-gp-heading') || '');
    h.id = headingId;
    var list = el('ul', 'gp-recs__list');
    list.setAttribute('role', 'list');
    products.forEach(function (p) {
      var variant = p.variants.filter(function (v) { return v.available && v.price > 0; })[0];
      var li = el('li', 'gp-card');
      var a = el('a', 'gp-card__link');
      a.href = p.url || root + 'products/' + p.handle;
      a.setAttribute('data-gp-click', source + ':' + p.id);
      var media = el('span', 'gp-card__media');
      if (p.featured_image) {
        var img = el('img', 'gp-card__image');
        img.src = p.featured_image + (p.featured_image.indexOf('?') < 0 ? '?' : '&') + 'width=240';
        img.alt = p.title;
        img.loading = 'lazy';
        img.width = 240;
        img.height = 240;
        media.appendChild(img);
      }
      a.appendChild(media);
      a.appendChild(el('span', 'gp-card__title', p.title));
      li.appendChild(a);
      if (showPrice) li.appendChild(el('span', 'gp-card__price', money(variant.price)));
      var button = el('button', 'gp-button gp-button--secondary', addLabel);
      button.type = 'button';
      button.setAttribute('aria-label', addLabel + ': ' + p.title);
      button.addEventListener('click', function () { add(button, variant.id, source); });
      li.appendChild(button);
      list.appendChild(li);
    });
    section.appendChild(h);
    section.appendChild(list);
    box.appendChild(section);
    box.hidden = false;
  }

  function add(button, variantId, source) {
    button.disabled = true;
    var drawer = document.querySelector('cart-drawer');
    var body = { items: [{ id: variantId, quantity: 1, properties: { _gp_rec: source } }] };
    if (drawer && drawer.renderContents) body.sections = 'cart-drawer,cart-icon-bubble';
    json(root + 'cart/add.js', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body)
    }).then(function (state) {
      if (drawer && drawer.renderContents && state.sections) drawer.renderContents(state);
      else if (/\/cart\/?$/.test(location.pathname)) return location.reload();
      document.dispatchEvent(new CustomEvent('growthpilot:cart-added', { detail: { variantId: variantId, source: source } }));
      schedule();
    }).catch(function () {}).then(function () { button.disabled = false; });
  }

  function refresh(box) {
    return json(root + 'cart.js').then(function (cart) {
      var ids = cart.items.map(function (i) { return i.product_id; }).filter(function (id, i, all) { return all.indexOf(id) === i; }).sort();
      var limit = Math.min(12, Math.max(1, parseInt(box.getAttribute('data-gp-limit'), 10) || 4));
      if (!ids.length) return render(box, []);
      var key = endpoint(box) + '|' + ids.join(',') + '|' + limit;
      var recs = cache[key] || (cache[key] = json(endpoint(box) + '?products=' + ids.join(',') + '&limit=' + limit, { headers: { Accept: 'application/json' } }));
      return recs.then(function (data) {
        return Promise.all(data.products.map(function (p) {
          return json(root + 'products/' + encodeURIComponent(p.handle) + '.js').catch(function () { return null; });
        }));
      }).then(function (live) {
        render(box, live.filter(function (p) {
          return p && p.available && ids.indexOf(p.id) < 0 && p.variants.some(function (v) { return v.available && v.price > 0; });
        }).slice(0, limit));
      });
    }).catch(function () {
      /* A failed proxy call is not cached: the next cart change retries. */
      Object.keys(cache).forEach(function (k) { cache[k].catch(function () { delete cache[k]; }); });
    });
  }

  function refreshAll() {
    containers().forEach(function (box) {
      var watch = place(box);
      if (!watch) return;
      if (box.hasAttribute('data-gp-drawer') && !visible(watch)) {
        box.setAttribute('data-gp-stale', '');
        return;
      }
      box.removeAttribute('data-gp-stale');
      refresh(box);
    });
  }

  function visible(node) {
    return !!(node.offsetWidth || node.offsetHeight || node.getClientRects().length) && getComputedStyle(node).visibility !== 'hidden';
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refreshAll, 150);
  }

  /* Cart changes made by the theme's own fetch calls. */
  window.fetch = function (input, init) {
    var url = typeof input === 'string' ? input : (input && input.url) || '';
    var result = nativeFetch(input, init);
    if (CART_CHANGE.test(url)) {
      result.then(function () { schedule(); }, function () {});
    }
    return result;
  };

  /* The drawer opening: watch its footer come into view (drawers slide in from off-screen). */
  if ('IntersectionObserver' in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          containers().forEach(function (box) {
            if (box.hasAttribute('data-gp-drawer') && (box.hasAttribute('data-gp-stale') || !box.hasAttribute('data-gp-loaded'))) {
              box.setAttribute('data-gp-loaded', '');
              box.removeAttribute('data-gp-stale');
              refresh(box);
            }
          });
        }
      });
    });
    var watchDrawers = function () {
      containers().forEach(function (box) {
        var watch = box.hasAttribute('data-gp-drawer') && place(box);
        if (watch && !watch.__gpWatched) {
          watch.__gpWatched = true;
          observer.observe(watch);
        }
      });
    };
    watchDrawers();
    new MutationObserver(function () {
      clearTimeout(watchDrawers.t);
      watchDrawers.t = setTimeout(watchDrawers, 100);
    }).observe(document.body, { childList: true, subtree: true });
  }
})();
