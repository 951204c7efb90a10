/* hangar-domain-xml.c: reading and editing a machine's definition, for the details pane
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libxml/parser.h>

#include "hangar-domain-xml.h"

void
hangar_domain_item_free (HangarDomainItem *item)
{
  if (item == NULL)
    return;
  g_free (item->key);
  g_free (item->title);
  g_free (item->icon);
  g_free (item->kind);
  g_free (item);
}

/* ---- nodes ------------------------------------------------------------------- */

gboolean
hangar_domain_xml_is (xmlNode    *node,
                      const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE &&
         strcmp ((const char *) node->name, name) == 0;
}

xmlNode *
hangar_domain_xml_child (xmlNode    *parent,
                         const char *name)
{
  for (xmlNode *n = parent ? parent->children : NULL; n != NULL; n = n->next)
    if (hangar_domain_xml_is (n, name))
      return n;
  return NULL;
}

/* Where libvirt writes an element: after the last of these that is there. */
static const struct
{
  const char *name;
  const char *after[4];
} places[] = {
  { "uuid",          { "name" } },
  { "title",         { "uuid", "name" } },
  { "description",   { "title", "uuid", "name" } },
  { "memory",        { "description", "title", "uuid", "name" } },
  { "currentMemory", { "memory" } },
  { "vcpu",          { "currentMemory", "memory" } },
  { "initrd",        { "kernel" } },
  { "cmdline",       { "initrd", "kernel" } },
};

xmlNode *
hangar_domain_xml_ensure_child (xmlNode    *parent,
                                const char *name)
{
  xmlNode *child = hangar_domain_xml_child (parent, name);

  if (child != NULL)
    return child;

  child = xmlNewDocNode (parent->doc, NULL, (const xmlChar *) name, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      if (strcmp (places[i].name, name) != 0)
        continue;
      for (guint j = 0; j < G_N_ELEMENTS (places[i].after) && places[i].after[j] != NULL; j++)
        {
          xmlNode *before = hangar_domain_xml_child (parent, places[i].after[j]);

          if (before != NULL)
            return xmlAddNextSibling (before, child);
        }
    }
  return xmlAddChild (parent, child);
}

void
hangar_domain_xml_remove_children (xmlNode    *parent,
                                   const char *name)
{
  xmlNode *n = parent ? parent->children : NULL;

  while (n != NULL)
    {
      xmlNode *next = n->next;

      if (hangar_domain_xml_is (n, name))
        {
          /* The indentation before it goes with it. */
          if (n->prev != NULL && xmlIsBlankNode (n->prev))
            {
              xmlNode *blank = n->prev;

              xmlUnlinkNode (blank);
              xmlFreeNode (blank);
            }
          xmlUnlinkNode (n);
          xmlFreeNode (n);
        }
      n = next;
    }
}

char *
hangar_domain_xml_attr (xmlNode    *node,
                        const char *name)
{
  xmlChar *value;
  char *copy;

  if (node == NULL)
    return NULL;
  value = xmlGetProp (node, (const xmlChar *) name);
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

void
hangar_domain_xml_set_attr (xmlNode    *node,
                            const char *name,
                            const char *value)
{
  if (value == NULL)
    xmlUnsetProp (node, (const xmlChar *) name);
  else
    xmlSetProp (node, (const xmlChar *) name, (const xmlChar *) value);
}

char *
hangar_domain_xml_child_attr (xmlNode    *parent,
                              const char *child,
                              const char *name)
{
  return hangar_domain_xml_attr (hangar_domain_xml_child (parent, child), name);
}

/* The text of @parent's first <@name>, stripped; NULL when there is none. */
char *
hangar_domain_xml_child_text (xmlNode    *parent,
                              const char *name)
{
  xmlNode *child = hangar_domain_xml_child (parent, name);
  xmlChar *content;
  char *text;

  if (child == NULL)
    return NULL;
  content = xmlNodeGetContent (child);
  text = g_strstrip (g_strdup ((const char *) content));
  xmlFree (content);
  return text;
}

/* Sets the text of @parent's <@name>, adding it; NULL or "" removes it. */
void
hangar_domain_xml_set_child_text (xmlNode    *parent,
                                  const char *name,
                                  const char *text)
{
  xmlNode *child;
  xmlChar *escaped;

  if (text == NULL || text[0] == '\0')
    {
      hangar_domain_xml_remove_children (parent, name);
      return;
    }
  child = hangar_domain_xml_ensure_child (parent, name);
  escaped = xmlEncodeSpecialChars (parent->doc, (const xmlChar *) text);
  xmlNodeSetContent (child, escaped);
  xmlFree (escaped);
}

/* ---- documents --------------------------------------------------------------- */

/**
 * hangar_domain_xml_parse:
 *
 * Reads a definition as the engine sends it. The engine checks what it is sent;
 * this refuses only what is no XML, or no <domain>.
 */
xmlDoc *
hangar_domain_xml_parse (const char  *xml,
                         GError     **error)
{
  /* Without the blanks, what the pages add is indented as what was there. */
  g_autoptr(xmlDoc) doc = xmlReadMemory (xml, strlen (xml), "domain.xml", "UTF-8",
                                         XML_PARSE_NONET | XML_PARSE_NOERROR |
                                         XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS);

  if (doc == NULL)
    {
      const xmlError *xml_error = xmlGetLastError ();

      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE,
                   _("The definition is not XML (line %d)."),
                   xml_error != NULL ? xml_error->line : 0);
      return NULL;
    }
  if (!hangar_domain_xml_is (xmlDocGetRootElement (doc), "domain"))
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   _("The definition is not a <domain>."));
      return NULL;
    }
  return g_steal_pointer (&doc);
}

char *
hangar_domain_xml_to_string (xmlDoc *doc)
{
  xmlChar *buffer = NULL;
  int size = 0;
  char *xml;

  xmlDocDumpFormatMemoryEnc (doc, &buffer, &size, "UTF-8", 1);
  /* No XML declaration: the engine's GetXml has none either. */
  if (buffer != NULL && g_str_has_prefix ((const char *) buffer, "<?xml"))
    {
      const char *end = strstr ((const char *) buffer, "?>");

      end = end != NULL ? end + 2 : (const char *) buffer;
      while (*end == '\n')
        end++;
      xml = g_strdup (end);
    }
  else
    xml = g_strdup ((const char *) buffer);
  xmlFree (buffer);
  return xml;
}

xmlNode *
hangar_domain_xml_devices (xmlDoc *doc)
{
  return hangar_domain_xml_ensure_child (xmlDocGetRootElement (doc), "devices");
}

/**
 * hangar_domain_xml_console_kind:
 *
 * The console the machine's definition offers, as Machine1.OpenConsole names it:
 * its first VNC or SPICE display, else its serial port or console.
 *
 * Returns: (nullable): "vnc", "spice" or "serial"; %NULL when it has none
 */
const char *
hangar_domain_xml_console_kind (xmlDoc *doc)
{
  xmlNode *devices = doc != NULL ? hangar_domain_xml_child (xmlDocGetRootElement (doc),
                                                            "devices") : NULL;
  gboolean serial = FALSE;

  for (xmlNode *n = devices != NULL ? devices->children : NULL; n != NULL; n = n->next)
    {
      if (hangar_domain_xml_is (n, "graphics"))
        {
          g_autofree char *type = hangar_domain_xml_attr (n, "type");

          if (g_strcmp0 (type, "vnc") == 0)
            return "vnc";
          if (g_strcmp0 (type, "spice") == 0)
            return "spice";
        }
      else if (hangar_domain_xml_is (n, "serial") || hangar_domain_xml_is (n, "console"))
        serial = TRUE;
    }
  return serial ? "serial" : NULL;
}

/* ---- the sidebar --------------------------------------------------------------- */

/* Devices edited one page each; the others share a page per element name. */
static const struct
{
  const char *element;
  const char *key;
  const char *title;
  const char *icon;
} groups[] = {
  { "graphics",   "display",  N_("Display"),        "preferences-desktop-remote-desktop-symbolic" },
  { "video",      "video",    N_("Video"),          "video-display-symbolic" },
  { "sound",      "sound",    N_("Sound"),          "audio-speakers-symbolic" },
  { "input",      "input",    N_("Input Devices"),  "input-mouse-symbolic" },
  { "serial",     "serial",   N_("Serial"),         "utilities-terminal-symbolic" },
  { "channel",    "channels", N_("Channels"),       "network-transmit-receive-symbolic" },
  { "controller", "usb",      N_("USB Controller"), "media-removable-symbolic" },
  { "rng",        "rng",      N_("Random Numbers"), "media-playlist-shuffle-symbolic" },
  { "watchdog",   "watchdog", N_("Watchdog"),       "preferences-system-time-symbolic" },
};

static HangarDomainItem *
item_new (const char *key,
          const char *title,
          const char *icon,
          const char *kind)
{
  HangarDomainItem *item = g_new0 (HangarDomainItem, 1);

  item->key = g_strdup (key);
  item->title = g_strdup (title);
  item->icon = g_strdup (icon);
  item->kind = g_strdup (kind);
  return item;
}

static gboolean
is_usb_controller (xmlNode *node)
{
  g_autofree char *type = hangar_domain_xml_attr (node, "type");

  return hangar_domain_xml_is (node, "controller") && g_strcmp0 (type, "usb") == 0;
}

/* "disk:vda", "nic:52:54:00:12:34:56", or NULL for devices without a page of their own. */
char *
hangar_domain_xml_device_key (xmlNode *device)
{
  if (hangar_domain_xml_is (device, "disk"))
    {
      g_autofree char *target = hangar_domain_xml_child_attr (device, "target", "dev");

      return target != NULL ? g_strconcat ("disk:", target, NULL) : NULL;
    }
  if (hangar_domain_xml_is (device, "interface"))
    {
      g_autofree char *mac = hangar_domain_xml_child_attr (device, "mac", "address");
      g_autofree char *lower = mac != NULL ? g_ascii_strdown (mac, -1) : NULL;

      return lower != NULL ? g_strconcat ("nic:", lower, NULL) : NULL;
    }
  return NULL;
}

/* The key of the shared page that shows @device ("input", "usb"), or NULL. */
const char *
hangar_domain_xml_group_key (xmlNode *device)
{
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    if (hangar_domain_xml_is (device, groups[i].element) &&
        (strcmp (groups[i].key, "usb") != 0 || is_usb_controller (device)))
      return groups[i].key;
  return NULL;
}

/* "Disk vda", "CD-ROM sdc", "NIC :12:34:56". */
char *
hangar_domain_xml_device_title (xmlNode *device)
{
  if (hangar_domain_xml_is (device, "disk"))
    {
      g_autofree char *kind = hangar_domain_xml_attr (device, "device");
      g_autofree char *target = hangar_domain_xml_child_attr (device, "target", "dev");

      if (g_strcmp0 (kind, "cdrom") == 0)
        /* Translators: %s is the drive's name in the guest, such as sdc. */
        return g_strdup_printf (_("CD-ROM %s"), target ? target : "");
      /* Translators: %s is the disk's name in the guest, such as vda. */
      return g_strdup_printf (_("Disk %s"), target ? target : "");
    }
  if (hangar_domain_xml_is (device, "interface"))
    {
      g_autofree char *mac = hangar_domain_xml_child_attr (device, "mac", "address");
      const char *tail = mac != NULL && strlen (mac) >= 9 ? mac + strlen (mac) - 9 : "";

      /* Translators: %s is the end of the card's MAC address, such as :12:34:56. */
      return g_strdup_printf (_("NIC %s"), tail);
    }
  if (hangar_domain_xml_is (device, "input"))
    {
      g_autofree char *type = hangar_domain_xml_attr (device, "type");

      return g_strdup (g_strcmp0 (type, "tablet") == 0 ? _("Tablet") :
                       g_strcmp0 (type, "mouse") == 0 ? _("Mouse") :
                       g_strcmp0 (type, "keyboard") == 0 ? _("Keyboard") : _("Input Device"));
    }
  if (hangar_domain_xml_is (device, "graphics"))
    {
      g_autofree char *type = hangar_domain_xml_attr (device, "type");

      return g_strdup (g_strcmp0 (type, "spice") == 0 ? _("SPICE Display") :
                       g_strcmp0 (type, "vnc") == 0 ? _("VNC Display") : _("Display"));
    }
  if (hangar_domain_xml_is (device, "serial"))
    {
      g_autofree char *port = hangar_domain_xml_child_attr (device, "target", "port");

      /* Translators: %s is the port's number, 0 for the first (ttyS0). */
      return g_strdup_printf (_("Serial Port %s"), port != NULL ? port : "0");
    }
  if (hangar_domain_xml_is (device, "channel"))
    {
      g_autofree char *name = hangar_domain_xml_child_attr (device, "target", "name");

      return g_strdup (g_strcmp0 (name, "org.qemu.guest_agent.0") == 0 ?
                         _("Guest Agent Channel") : _("SPICE Agent Channel"));
    }
  if (hangar_domain_xml_is (device, "video"))
    return g_strdup (_("Video"));
  if (hangar_domain_xml_is (device, "sound"))
    return g_strdup (_("Sound"));
  if (is_usb_controller (device))
    return g_strdup (_("USB Controller"));
  if (hangar_domain_xml_is (device, "rng"))
    return g_strdup (_("Random Number Generator"));
  if (hangar_domain_xml_is (device, "watchdog"))
    return g_strdup (_("Watchdog"));
  return g_strdup ((const char *) device->name);
}

/**
 * hangar_domain_xml_items:
 *
 * The sidebar: Overview, CPUs, Memory, Boot Options, each disk and NIC, one entry
 * per kind of other device present, and XML.
 *
 * Returns: (transfer full) (element-type HangarDomainItem)
 */
GPtrArray *
hangar_domain_xml_items (xmlDoc *doc)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) hangar_domain_item_free);
  xmlNode *devices = hangar_domain_xml_child (xmlDocGetRootElement (doc), "devices");

  g_ptr_array_add (items, item_new ("overview", _("Overview"), "computer-symbolic", "overview"));
  g_ptr_array_add (items, item_new ("cpus", _("CPUs"), "system-run-symbolic", "cpus"));
  g_ptr_array_add (items, item_new ("memory", _("Memory"), "media-flash-symbolic", "memory"));
  g_ptr_array_add (items, item_new ("boot", _("Boot Options"), "system-reboot-symbolic", "boot"));

  for (xmlNode *n = devices ? devices->children : NULL; n != NULL; n = n->next)
    {
      g_autofree char *key = hangar_domain_xml_device_key (n);
      g_autofree char *title = NULL;
      g_autofree char *kind = NULL;

      if (key == NULL)
        continue;
      title = hangar_domain_xml_device_title (n);
      if (hangar_domain_xml_is (n, "disk"))
        {
          kind = hangar_domain_xml_attr (n, "device");
          g_ptr_array_add (items, item_new (key, title,
                                            g_strcmp0 (kind, "cdrom") == 0 ?
                                              "media-optical-symbolic" : "drive-harddisk-symbolic",
                                            "disk"));
        }
      else
        g_ptr_array_add (items, item_new (key, title, "network-wired-symbolic", "nic"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      gboolean present = FALSE;

      for (xmlNode *n = devices ? devices->children : NULL; n != NULL && !present; n = n->next)
        present = hangar_domain_xml_is (n, groups[i].element) &&
                  (strcmp (groups[i].key, "usb") != 0 || is_usb_controller (n));
      if (present)
        g_ptr_array_add (items, item_new (groups[i].key, _(groups[i].title), groups[i].icon,
                                          groups[i].key));
    }

  g_ptr_array_add (items, item_new ("xml", _("XML"), "text-x-generic-symbolic", "xml"));
  return items;
}

/**
 * hangar_domain_xml_find:
 * @key: a sidebar key
 *
 * The element a page edits: <domain> for the machine-wide pages, the device for a
 * disk or NIC, the first of its kind for a shared page (the page walks its
 * siblings), NULL when the document has none.
 */
xmlNode *
hangar_domain_xml_find (xmlDoc     *doc,
                        const char *key)
{
  xmlNode *root = xmlDocGetRootElement (doc);
  xmlNode *devices = hangar_domain_xml_child (root, "devices");

  if (g_str_has_prefix (key, "disk:") || g_str_has_prefix (key, "nic:"))
    {
      for (xmlNode *n = devices ? devices->children : NULL; n != NULL; n = n->next)
        {
          g_autofree char *device_key = hangar_domain_xml_device_key (n);

          if (g_strcmp0 (device_key, key) == 0)
            return n;
        }
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      if (strcmp (groups[i].key, key) != 0)
        continue;
      for (xmlNode *n = devices ? devices->children : NULL; n != NULL; n = n->next)
        if (hangar_domain_xml_is (n, groups[i].element) &&
            (strcmp (key, "usb") != 0 || is_usb_controller (n)))
          return n;
      return NULL;
    }

  return root;
}

/* ---- memory -------------------------------------------------------------------- */

/* libvirt's units (formatdomain "Memory Allocation"), in bytes. */
static guint64
unit_bytes (const char *unit)
{
  static const struct { const char *name; guint64 bytes; } units[] = {
    { "b", 1 }, { "bytes", 1 },
    { "KB", 1000 }, { "k", 1024 }, { "KiB", 1024 },
    { "MB", 1000000 }, { "M", 1 << 20 }, { "MiB", 1 << 20 },
    { "GB", 1000000000 }, { "G", 1 << 30 }, { "GiB", 1 << 30 },
    { "TB", 1000000000000 }, { "T", (guint64) 1 << 40 }, { "TiB", (guint64) 1 << 40 },
  };

  if (unit == NULL)
    return 1024;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strcmp (unit, units[i].name) == 0)
      return units[i].bytes;
  return 1024;
}

/* <@element> of @root in KiB, 0 when it is absent or no number. */
guint64
hangar_domain_xml_get_memory_kib (xmlNode    *root,
                                  const char *element)
{
  g_autofree char *text = hangar_domain_xml_child_text (root, element);
  g_autofree char *unit = hangar_domain_xml_child_attr (root, element, "unit");
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &value, NULL))
    return 0;
  return value * unit_bytes (unit) / 1024;
}

void
hangar_domain_xml_set_memory_kib (xmlNode    *root,
                                  const char *element,
                                  guint64     kib)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, kib);

  hangar_domain_xml_set_child_text (root, element, text);
  hangar_domain_xml_set_attr (hangar_domain_xml_child (root, element), "unit", "KiB");
}

/* ---- boot order ---------------------------------------------------------------- */

guint
hangar_domain_xml_boot_order (xmlNode *device)
{
  g_autofree char *order = hangar_domain_xml_child_attr (device, "boot", "order");

  return order != NULL ? (guint) strtoul (order, NULL, 10) : 0;
}

static int
compare_boot (gconstpointer a,
              gconstpointer b)
{
  guint order_a = hangar_domain_xml_boot_order (*(xmlNode **) a);
  guint order_b = hangar_domain_xml_boot_order (*(xmlNode **) b);

  /* Devices that boot first, in their order; then the others as listed. */
  if (order_a == 0 || order_b == 0)
    return (order_a == 0) - (order_b == 0);
  return (order_a > order_b) - (order_a < order_b);
}

/**
 * hangar_domain_xml_bootable:
 *
 * The disks, CD-ROM drives and NICs, those with a <boot order> first in that
 * order.
 *
 * Returns: (transfer container) (element-type xmlNode)
 */
GPtrArray *
hangar_domain_xml_bootable (xmlDoc *doc)
{
  GPtrArray *nodes = g_ptr_array_new ();
  xmlNode *devices = hangar_domain_xml_child (xmlDocGetRootElement (doc), "devices");

  for (xmlNode *n = devices ? devices->children : NULL; n != NULL; n = n->next)
    if (hangar_domain_xml_is (n, "disk") || hangar_domain_xml_is (n, "interface"))
      g_ptr_array_add (nodes, n);
  /* g_ptr_array_sort is a stable merge sort in GLib. */
  g_ptr_array_sort (nodes, compare_boot);
  return nodes;
}

/**
 * hangar_domain_xml_set_boot_order:
 * @devices: (element-type xmlNode): the devices to boot from, first first
 *
 * Writes <boot order='N'/> on each of @devices and removes it from every other
 * device; <os><boot dev=…/> goes, as libvirt refuses the two together.
 */
void
hangar_domain_xml_set_boot_order (xmlDoc    *doc,
                                  GPtrArray *devices)
{
  g_autoptr(GPtrArray) all = hangar_domain_xml_bootable (doc);
  xmlNode *os = hangar_domain_xml_child (xmlDocGetRootElement (doc), "os");

  for (guint i = 0; i < all->len; i++)
    hangar_domain_xml_remove_children (g_ptr_array_index (all, i), "boot");
  if (devices->len > 0 && os != NULL)
    hangar_domain_xml_remove_children (os, "boot");

  for (guint i = 0; i < devices->len; i++)
    {
      xmlNode *boot = xmlNewChild (g_ptr_array_index (devices, i), NULL,
                                   (const xmlChar *) "boot", NULL);
      g_autofree char *order = g_strdup_printf ("%u", i + 1);

      xmlSetProp (boot, (const xmlChar *) "order", (const xmlChar *) order);
    }
}

/* ---- new devices ---------------------------------------------------------------- */

/* The first free target name for a new disk on @bus: "vdb", "sdc", "hda". */
char *
hangar_domain_xml_free_target (xmlDoc     *doc,
                               const char *bus)
{
  const char *prefix = g_strcmp0 (bus, "virtio") == 0 ? "vd" :
                       g_strcmp0 (bus, "ide") == 0 ? "hd" : "sd";
  xmlNode *devices = hangar_domain_xml_child (xmlDocGetRootElement (doc), "devices");

  for (char letter = 'a'; letter <= 'z'; letter++)
    {
      g_autofree char *target = g_strdup_printf ("%s%c", prefix, letter);
      gboolean used = FALSE;

      for (xmlNode *n = devices ? devices->children : NULL; n != NULL && !used; n = n->next)
        {
          g_autofree char *dev = hangar_domain_xml_is (n, "disk") ?
            hangar_domain_xml_child_attr (n, "target", "dev") : NULL;

          used = g_strcmp0 (dev, target) == 0;
        }
      if (!used)
        return g_steal_pointer (&target);
    }
  return NULL;
}

/**
 * hangar_domain_xml_add_device:
 * @fragment: one device element, such as "<rng model='virtio'>…</rng>"
 *
 * Appends @fragment to <devices>.
 *
 * Returns: (transfer none): the new element
 */
xmlNode *
hangar_domain_xml_add_device (xmlDoc      *doc,
                              const char  *fragment,
                              GError     **error)
{
  g_autoptr(xmlDoc) device_doc = xmlReadMemory (fragment, strlen (fragment), "device.xml",
                                                "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS);
  xmlNode *devices;
  xmlNode *copy;

  if (device_doc == NULL)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE,
                   _("The new device is not XML."));
      return NULL;
    }
  devices = hangar_domain_xml_devices (doc);
  copy = xmlDocCopyNode (xmlDocGetRootElement (device_doc), doc, 1);
  return xmlAddChild (devices, copy);
}

/* ---- messages -------------------------------------------------------------------- */

/* The line an engine's message names ("… at line 12: …"), or 0. */
int
hangar_domain_xml_error_line (const char *message)
{
  const char *at = message != NULL ? strstr (message, "line ") : NULL;

  if (at == NULL)
    return 0;
  return atoi (at + strlen ("line "));
}

gboolean
hangar_domain_xml_mac_is_valid (const char *mac)
{
  if (mac == NULL || strlen (mac) != 17)
    return FALSE;
  for (guint i = 0; i < 17; i++)
    if (i % 3 == 2 ? mac[i] != ':' : !g_ascii_isxdigit (mac[i]))
      return FALSE;
  /* Not multicast: the lowest bit of the first octet is clear. */
  return (g_ascii_xdigit_value (mac[1]) & 1) == 0;
}
