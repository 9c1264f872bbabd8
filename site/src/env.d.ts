/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Everything a page shows, read through core (see core/public/site-views.ts). */
    site: import("../../core/public/site-views.ts").SiteData;
  }
}
