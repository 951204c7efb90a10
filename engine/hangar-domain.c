/* hangar-domain.c: libvirt domain XML in and out
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>
#include <unistd.h>

#include "hangar-domain.h"
#include "hangar-error.h"
#include "hangar-domain-private.h"

struct _HangarDomain
{
  xmlDoc          *doc;
  HangarDomainDef  def;
};

/* QEMU's x86 machines cap RAM far below this; it only keeps sums from overflowing. */
#define MAX_MEMORY_KIB (G_GUINT64_CONSTANT (1) << 30) /* 1 TiB */
#define MAX_VCPUS 255
#define MAX_NAME_LENGTH 200

static void
disk_def_free (gpointer data)
{
  HangarDiskDef *disk = data;

  g_free (disk->device);
  g_free (disk->source);
  g_free (disk->format);
  g_free (disk->bus);
  g_free (disk->target);
  g_free (disk->cache);
  g_free (disk);
}

static void
net_def_free (gpointer data)
{
  HangarNetDef *net = data;

  g_free (net->model);
  g_free (net->mac);
  g_free (net);
}

static void
serial_def_free (gpointer data)
{
  HangarSerialDef *serial = data;

  g_free (serial->log_path);
  g_free (serial);
}

static void
input_def_free (gpointer data)
{
  HangarInputDef *input = data;

  g_free (input->type);
  g_free (input->bus);
  g_free (input);
}

static void
hangar_domain_clear (gpointer data)
{
  HangarDomain *self = data;
  HangarDomainDef *def = &self->def;

  g_clear_pointer (&self->doc, xmlFreeDoc);
  g_free (def->name);
  g_free (def->uuid);
  g_free (def->title);
  g_free (def->description);
  g_free (def->arch);
  g_free (def->machine);
  g_free (def->boot_order);
  g_free (def->kernel);
  g_free (def->initrd);
  g_free (def->cmdline);
  g_free (def->cpu_mode);
  g_free (def->cpu_model);
  g_free (def->clock_offset);
  g_free (def->on_poweroff);
  g_free (def->on_reboot);
  g_free (def->on_crash);
  g_clear_pointer (&def->disks, g_ptr_array_unref);
  g_clear_pointer (&def->nets, g_ptr_array_unref);
  g_clear_pointer (&def->serials, g_ptr_array_unref);
  g_clear_pointer (&def->inputs, g_ptr_array_unref);
  g_clear_pointer (&def->channels, g_array_unref);
  g_free (def->video);
  g_free (def->sound);
  g_free (def->rng_backend);
  g_free (def->usb_model);
}

HangarDomain *
hangar_domain_ref (HangarDomain *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
hangar_domain_unref (HangarDomain *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, hangar_domain_clear);
}

const HangarDomainDef *
hangar_domain_get_def (HangarDomain *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->def;
}

const char *
hangar_domain_get_name (HangarDomain *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->def.name;
}

const char *
hangar_domain_get_uuid (HangarDomain *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->def.uuid;
}

/* ---- small XML helpers ---------------------------------------------------- */

static gboolean
node_is (xmlNode    *node,
         const char *name)
{
  return node->type == XML_ELEMENT_NODE && strcmp ((const char *) node->name, name) == 0;
}

static xmlNode *
child_element (xmlNode    *parent,
               const char *name)
{
  for (xmlNode *n = parent ? parent->children : NULL; n != NULL; n = n->next)
    if (node_is (n, name))
      return n;
  return NULL;
}

/* Returns a g_malloc'd copy of an attribute, or NULL. */
static char *
attr (xmlNode    *node,
      const char *name)
{
  xmlChar *value;
  char *copy;

  if (node == NULL)
    return NULL;
  value = xmlGetProp (node, (const xmlChar *) name);
  if (value == NULL)
    return NULL;
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

static char *
text_of (xmlNode *node)
{
  xmlChar *value;
  char *copy;

  if (node == NULL)
    return NULL;
  value = xmlNodeGetContent (node);
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

static char *
child_text (xmlNode    *parent,
            const char *name)
{
  return text_of (child_element (parent, name));
}

static gboolean
one_of (const char         *value,
        const char * const *allowed)
{
  return value != NULL && g_strv_contains (allowed, value);
}

gboolean
hangar_domain_fail (GError      **error,
                    HangarError   code,
                    const char   *format,
                    ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (HANGAR_ERROR, code, format, args));
  va_end (args);
  return FALSE;
}

/* ---- scalar values -------------------------------------------------------- */

/* Reads a libvirt scaled integer (<memory unit='MiB'>512</memory>) as KiB. */
gboolean
hangar_domain_parse_memory (const char  *what,
                            const char  *text,
                            const char  *unit,
                            guint64     *out_kib,
                            GError     **error)
{
  static const struct { const char *unit; guint64 bytes; } units[] = {
    { "b", 1 }, { "bytes", 1 },
    { "KB", 1000 }, { "k", 1024 }, { "KiB", 1024 },
    { "MB", 1000000 }, { "M", 1 << 20 }, { "MiB", 1 << 20 },
    { "GB", 1000000000 }, { "G", 1 << 30 }, { "GiB", 1 << 30 },
    { "TB", G_GUINT64_CONSTANT (1000000000000) },
    { "T", G_GUINT64_CONSTANT (1) << 40 }, { "TiB", G_GUINT64_CONSTANT (1) << 40 },
  };
  guint64 multiplier = 0;
  guint64 value;
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));

  if (unit == NULL)
    multiplier = 1024;
  for (guint i = 0; multiplier == 0 && i < G_N_ELEMENTS (units); i++)
    if (g_ascii_strcasecmp (unit, units[i].unit) == 0 &&
        (strlen (unit) == 1 || strcmp (unit, units[i].unit) == 0 || unit[0] == 'b'))
      multiplier = units[i].bytes;
  if (multiplier == 0)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("The unit “%s” of <%s> is not a size unit (use KiB, MiB or GiB)."),
                 unit, what);

  if (!g_ascii_string_to_unsigned (stripped, 10, 0, G_MAXUINT64, &value, NULL))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("<%s> must be a whole number, not “%s”."), what, stripped);

  if (value > (MAX_MEMORY_KIB * 1024) / multiplier)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("<%s> of %s %s is more than Hangar can give a machine (1 TiB)."),
                 what, stripped, unit ? unit : "KiB");

  /* Round up to whole KiB. */
  *out_kib = (value * multiplier + 1023) / 1024;
  return TRUE;
}

gboolean
hangar_domain_name_is_valid (const char  *name,
                             GError     **error)
{
  if (name == NULL || *name == '\0')
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG, _("The machine needs a <name>."));
  if (!g_utf8_validate (name, -1, NULL))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG, _("The machine name is not valid UTF-8."));
  if (strlen (name) > MAX_NAME_LENGTH)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("The machine name is longer than %d bytes."), MAX_NAME_LENGTH);
  /* Commas, quotes and slashes are fine: a name never becomes a path, and every QEMU
   * option it enters is escaped. Line breaks would break every list that shows it. */
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("The machine name contains a line break or another control character; "
                       "use a name on one line."));
    }
  if (g_ascii_isspace (name[0]) || g_ascii_isspace (name[strlen (name) - 1]))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("The machine name “%s” starts or ends with a space."), name);
  return TRUE;
}

static gboolean
path_is_acceptable (const char  *what,
                    const char  *path,
                    GError     **error)
{
  if (!g_path_is_absolute (path))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("The %s path “%s” must be absolute."), what, path);
  for (const char *p = path; *p; p++)
    if (g_ascii_iscntrl (*p))
      return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                   _("The %s path contains a control character."), what);
  return TRUE;
}

static gboolean
mac_is_valid (const char *mac)
{
  guint8 first;

  if (strlen (mac) != 17)
    return FALSE;
  for (guint i = 0; i < 17; i++)
    {
      if (i % 3 == 2 ? mac[i] != ':' : !g_ascii_isxdigit (mac[i]))
        return FALSE;
    }
  first = (g_ascii_xdigit_value (mac[0]) << 4) | g_ascii_xdigit_value (mac[1]);
  return (first & 1) == 0; /* not multicast */
}

static char *
generate_mac (void)
{
  return g_strdup_printf ("52:54:00:%02x:%02x:%02x",
                          g_random_int_range (0, 256),
                          g_random_int_range (0, 256),
                          g_random_int_range (0, 256));
}

static gboolean
parse_boot_order (xmlNode  *device,
                  guint    *out,
                  GError  **error)
{
  g_autofree char *order = attr (child_element (device, "boot"), "order");
  guint64 value = 0;

  *out = 0;
  if (order == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (order, 10, 1, 999, &value, NULL))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("<boot order='%s'/> must be a number from 1 to 999."), order);
  *out = value;
  return TRUE;
}

/* ---- devices --------------------------------------------------------------- */

/* "hdc" → 2, "sdaa" → 26: the letters after the two-letter prefix, counted like
 * spreadsheet columns. The index places a disk on its bus, as libvirt does. */
static gboolean
target_index (const char *target,
              guint      *out_index)
{
  guint64 index = 0;
  const char *p;

  if (!g_str_has_prefix (target, "hd") && !g_str_has_prefix (target, "sd") &&
      !g_str_has_prefix (target, "vd"))
    return FALSE;
  p = target + 2;
  if (*p == '\0' || strlen (p) > 3)
    return FALSE;
  for (; *p; p++)
    {
      if (!g_ascii_islower (*p))
        return FALSE;
      index = index * 26 + (*p - 'a' + 1);
    }
  *out_index = index - 1;
  return TRUE;
}

static gboolean
parse_disk (HangarDomainDef  *def,
            xmlNode          *node,
            GError          **error)
{
  static const char * const devices[] = { "disk", "cdrom", NULL };
  static const char * const buses[] = { "virtio", "sata", "ide", "scsi", NULL };
  static const char * const formats[] = { "raw", "qcow2", NULL };
  static const char * const caches[] = {
    "default", "none", "writeback", "writethrough", "directsync", "unsafe", NULL
  };
  g_autofree char *type = attr (node, "type");
  g_autoptr(GError) local_error = NULL;
  xmlNode *driver = child_element (node, "driver");
  xmlNode *target = child_element (node, "target");
  HangarDiskDef *disk = g_new0 (HangarDiskDef, 1);

  g_ptr_array_add (def->disks, disk);
  disk->device = attr (node, "device");
  if (disk->device == NULL)
    disk->device = g_strdup ("disk");
  if (!one_of (disk->device, devices))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("Hangar can attach disks and CD-ROM drives, not a “%s”."), disk->device);
  if (g_strcmp0 (type, "file") != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("Hangar runs disks backed by files (type='file'), not type='%s'."),
                 type ? type : "");

  disk->source = attr (child_element (node, "source"), "file");
  if (disk->source != NULL && *disk->source == '\0')
    g_clear_pointer (&disk->source, g_free);
  if (disk->source == NULL && strcmp (disk->device, "cdrom") != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("A disk needs <source file='…'/>; only a CD-ROM drive may be empty."));
  if (disk->source != NULL && !path_is_acceptable ("disk", disk->source, error))
    return FALSE;

  disk->format = attr (driver, "type");
  if (disk->format == NULL)
    disk->format = g_strdup ("raw");
  if (!one_of (disk->format, formats))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("The disk format “%s” is not supported; use raw or qcow2."), disk->format);

  disk->cache = attr (driver, "cache");
  if (disk->cache != NULL && !one_of (disk->cache, caches))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("The cache mode “%s” is unknown; use none, writeback, writethrough, "
                   "directsync or unsafe."), disk->cache);
  if (g_strcmp0 (disk->cache, "default") == 0)
    g_clear_pointer (&disk->cache, g_free);

  disk->target = attr (target, "dev");
  disk->bus = attr (target, "bus");
  if (disk->target == NULL)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("A disk needs <target dev='…'/>, such as vda or sda."));
  if (disk->bus == NULL)
    disk->bus = g_strdup (g_str_has_prefix (disk->target, "vd") ? "virtio" :
                          g_str_has_prefix (disk->target, "hd") ? "ide" : "sata");
  if (!one_of (disk->bus, buses))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("The disk bus “%s” is not supported; use virtio, sata, ide or scsi."),
                 disk->bus);
  if (!target_index (disk->target, &disk->index))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                               _("The disk target “%s” is not a disk name such as vda, sdb or hdc."),
                               disk->target);
  if (strcmp (disk->bus, "virtio") == 0 && strcmp (disk->device, "cdrom") == 0)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("A CD-ROM drive cannot be on the virtio bus; use sata, ide or scsi."));

  disk->readonly = child_element (node, "readonly") != NULL ||
                   strcmp (disk->device, "cdrom") == 0;

  for (guint i = 0; i + 1 < def->disks->len; i++)
    {
      HangarDiskDef *other = g_ptr_array_index (def->disks, i);
      if (strcmp (other->target, disk->target) == 0)
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("Two disks use the target “%s”."), disk->target);
    }

  return parse_boot_order (node, &disk->boot_order, error);
}

static gboolean
parse_interface (HangarDomainDef  *def,
                 xmlNode          *node,
                 GError          **error)
{
  static const char * const models[] = { "virtio", "e1000", "e1000e", "rtl8139", NULL };
  g_autofree char *type = attr (node, "type");
  xmlNode *mac_node = child_element (node, "mac");
  HangarNetDef *net = g_new0 (HangarNetDef, 1);

  g_ptr_array_add (def->nets, net);
  if (g_strcmp0 (type, "user") != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("Hangar connects machines with user-mode NAT (type='user'), "
                   "not type='%s'."), type ? type : "");

  net->model = attr (child_element (node, "model"), "type");
  if (net->model == NULL)
    net->model = g_strdup ("virtio");
  if (!one_of (net->model, models))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("The network card model “%s” is not supported; use virtio, e1000, "
                   "e1000e or rtl8139."), net->model);

  net->mac = attr (mac_node, "address");
  if (net->mac == NULL)
    {
      /* Like libvirt, write the generated address into the definition, so it is stable. */
      net->mac = generate_mac ();
      mac_node = xmlNewChild (node, NULL, (const xmlChar *) "mac", NULL);
      xmlSetProp (mac_node, (const xmlChar *) "address", (const xmlChar *) net->mac);
    }
  else if (!mac_is_valid (net->mac))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("“%s” is not a usable MAC address (six hex pairs, not multicast)."),
                 net->mac);
  else
    {
      char *lower = g_ascii_strdown (net->mac, -1);
      g_free (net->mac);
      net->mac = lower;
    }

  return parse_boot_order (node, &net->boot_order, error);
}

static gboolean
parse_serial (HangarDomainDef  *def,
              xmlNode          *node,
              GError          **error)
{
  g_autofree char *type = attr (node, "type");
  g_autofree char *port = attr (child_element (node, "target"), "port");
  HangarSerialDef *serial = g_new0 (HangarSerialDef, 1);
  guint64 value = def->serials->len;

  g_ptr_array_add (def->serials, serial);
  if (g_strcmp0 (type, "file") == 0)
    {
      serial->log_path = attr (child_element (node, "source"), "path");
      if (serial->log_path == NULL)
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("A serial port of type='file' needs <source path='…'/>."));
      if (!path_is_acceptable ("serial log", serial->log_path, error))
        return FALSE;
    }
  else if (g_strcmp0 (type, "pty") != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("Hangar supports serial ports of type='file' and type='pty', not type='%s'."),
                 type ? type : "");

  if (port != NULL && !g_ascii_string_to_unsigned (port, 10, 0, 3, &value, NULL))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("A serial port's target port must be 0 to 3, not “%s”."), port);
  serial->port = value;
  for (guint i = 0; i + 1 < def->serials->len; i++)
    if (((HangarSerialDef *) g_ptr_array_index (def->serials, i))->port == serial->port)
      return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                   _("Two serial ports use port %u."), serial->port);
  return TRUE;
}

static gboolean
parse_input (HangarDomainDef  *def,
             xmlNode          *node,
             GError          **error)
{
  static const char * const types[] = { "tablet", "mouse", "keyboard", NULL };
  static const char * const buses[] = { "usb", "virtio", "ps2", NULL };
  HangarInputDef *input = g_new0 (HangarInputDef, 1);

  g_ptr_array_add (def->inputs, input);
  input->type = attr (node, "type");
  input->bus = attr (node, "bus");
  if (!one_of (input->type, types))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("The input device type “%s” is not supported; use tablet, mouse or keyboard."),
                 input->type ? input->type : "");
  if (input->bus == NULL)
    input->bus = g_strdup (strcmp (input->type, "tablet") == 0 ? "usb" : "ps2");
  if (!one_of (input->bus, buses))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("The input bus “%s” is not supported; use usb, virtio or ps2."), input->bus);
  if (strcmp (input->type, "tablet") == 0 && strcmp (input->bus, "ps2") == 0)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG, _("A tablet cannot be on the PS/2 bus."));
  return TRUE;
}

static gboolean
parse_channel (HangarDomainDef  *def,
               xmlNode          *node,
               GError          **error)
{
  g_autofree char *type = attr (node, "type");
  g_autofree char *name = attr (child_element (node, "target"), "name");
  HangarChannelKind kind;

  if (g_strcmp0 (type, "unix") == 0 && g_strcmp0 (name, "org.qemu.guest_agent.0") == 0)
    kind = HANGAR_CHANNEL_GUEST_AGENT;
  else if (g_strcmp0 (type, "spicevmc") == 0)
    kind = HANGAR_CHANNEL_SPICE_AGENT;
  else
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("Hangar supports the guest agent channel (unix, org.qemu.guest_agent.0) "
                   "and the SPICE agent channel (spicevmc), not a “%s” channel named “%s”."),
                 type ? type : "", name ? name : "");
  for (guint i = 0; i < def->channels->len; i++)
    if (g_array_index (def->channels, HangarChannelKind, i) == kind)
      return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                   _("The same agent channel is defined twice."));
  g_array_append_val (def->channels, kind);
  return TRUE;
}

static gboolean
parse_simple_model (const char          *what,
                    xmlNode             *node,
                    const char          *attribute,
                    const char * const  *allowed,
                    char               **out,
                    GError             **error)
{
  g_autofree char *model = attr (node, attribute);

  if (*out != NULL)
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("Hangar supports one %s device per machine."), what);
  if (!one_of (model, allowed))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) allowed);
      return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                   _("The %s model “%s” is not supported; use one of: %s."),
                   what, model ? model : "", list);
    }
  *out = g_steal_pointer (&model);
  return TRUE;
}

static gboolean
parse_device (HangarDomainDef  *def,
              xmlNode          *node,
              GError          **error)
{
  static const char * const videos[] = { "virtio", "qxl", "vga", "bochs", "none", NULL };
  static const char * const sounds[] = { "ich9", "ich6", "ac97", "es1370", NULL };
  static const char * const usb_models[] = {
    "qemu-xhci", "nec-xhci", "piix3-uhci", "ich9-ehci1", "none", NULL
  };
  /* Devices that carry nothing Hangar must act on; kept as written. */
  static const char * const passive[] = { "emulator", "console", NULL };
  const char *name = (const char *) node->name;

  if (strcmp (name, "disk") == 0)
    return parse_disk (def, node, error);
  if (strcmp (name, "interface") == 0)
    return parse_interface (def, node, error);
  if (strcmp (name, "serial") == 0)
    return parse_serial (def, node, error);
  if (strcmp (name, "input") == 0)
    return parse_input (def, node, error);
  if (strcmp (name, "channel") == 0)
    return parse_channel (def, node, error);
  if (strcmp (name, "graphics") == 0)
    {
      g_autofree char *type = attr (node, "type");
      gboolean *flag = g_strcmp0 (type, "vnc") == 0 ? &def->has_vnc :
                       g_strcmp0 (type, "spice") == 0 ? &def->has_spice : NULL;

      if (flag == NULL)
        return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                     _("Hangar shows machines over VNC or SPICE, not “%s”."), type ? type : "");
      if (*flag)
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("The machine has two %s displays."), type);
      *flag = TRUE;
      return TRUE;
    }
  if (strcmp (name, "video") == 0)
    return parse_simple_model ("video", child_element (node, "model"), "type",
                               videos, &def->video, error);
  if (strcmp (name, "sound") == 0)
    return parse_simple_model ("sound", node, "model", sounds, &def->sound, error);
  if (strcmp (name, "rng") == 0)
    {
      static const char * const sources[] = { "/dev/urandom", "/dev/random", "/dev/hwrng", NULL };
      g_autofree char *model = attr (node, "model");
      g_autofree char *backend = child_text (node, "backend");

      if (g_strcmp0 (model, "virtio") != 0)
        return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                     _("The random number generator model must be virtio."));
      if (backend == NULL || *g_strstrip (backend) == '\0')
        {
          g_free (backend);
          backend = g_strdup ("/dev/urandom");
        }
      if (!one_of (backend, sources))
        return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                     _("The random number source “%s” is not supported; use /dev/urandom."),
                     backend);
      if (def->rng_backend != NULL)
        return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                     _("Hangar supports one random number generator per machine."));
      def->rng_backend = g_steal_pointer (&backend);
      return TRUE;
    }
  if (strcmp (name, "controller") == 0)
    {
      g_autofree char *type = attr (node, "type");
      g_autofree char *model = attr (node, "model");

      if (g_strcmp0 (type, "usb") == 0)
        {
          if (model == NULL && def->usb_model == NULL)
            {
              def->usb_model = g_strdup ("qemu-xhci");
              return TRUE;
            }
          return parse_simple_model ("USB controller", node, "model", usb_models,
                                     &def->usb_model, error);
        }
      if (g_strcmp0 (type, "scsi") == 0 && model != NULL && strcmp (model, "virtio-scsi") != 0)
        return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                     _("The SCSI controller model “%s” is not supported; use virtio-scsi."),
                     model);
      /* pci, ide, sata, virtio-serial and virtio-scsi controllers follow from the devices. */
      return TRUE;
    }
  if (strcmp (name, "memballoon") == 0)
    {
      g_autofree char *model = attr (node, "model");

      def->balloon = g_strcmp0 (model, "virtio") == 0;
      if (!def->balloon && g_strcmp0 (model, "none") != 0)
        return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                     _("The memory balloon model must be virtio or none."));
      return TRUE;
    }
  if (strcmp (name, "audio") == 0)
    {
      /* libvirt writes one for every machine with sound. Hangar picks the backend
       * itself, as these two do: SPICE's with a SPICE display, else none. */
      g_autofree char *type = attr (node, "type");

      if (g_strcmp0 (type, "none") != 0 && g_strcmp0 (type, "spice") != 0)
        return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                     _("The audio backend “%s” is not supported; use none or spice."),
                     type ? type : "");
      return TRUE;
    }
  if (g_strv_contains (passive, name))
    return TRUE;

  return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
               _("Hangar cannot run a machine with a <%s> device yet; remove it from the "
                 "definition."), name);
}

/* ---- the whole document ---------------------------------------------------- */

static gboolean
parse_os (HangarDomainDef  *def,
          xmlNode          *os,
          GError          **error)
{
  xmlNode *type = child_element (os, "type");
  g_autofree char *os_type = text_of (type);
  g_autofree char *menu = NULL;
  g_autofree char *firmware = NULL;
  g_autoptr(GString) order = g_string_new (NULL);

  if (os == NULL || type == NULL)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("The definition needs <os><type>hvm</type></os>."));
  if (strcmp (g_strstrip (os_type), "hvm") != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("Hangar runs full virtual machines (<type>hvm</type>), not “%s”."), os_type);

  def->arch = attr (type, "arch");
  if (def->arch == NULL)
    def->arch = g_strdup ("x86_64");
  if (strcmp (def->arch, "x86_64") != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("Hangar runs x86_64 machines, not %s."), def->arch);

  def->machine = attr (type, "machine");
  if (def->machine == NULL)
    def->machine = g_strdup ("pc");
  for (const char *p = def->machine; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                   _("“%s” is not a machine type."), def->machine);
  if (!g_str_equal (def->machine, "pc") && !g_str_equal (def->machine, "q35") &&
      !g_str_has_prefix (def->machine, "pc-i440fx-") && !g_str_has_prefix (def->machine, "pc-q35-"))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("The machine type “%s” is not supported; use pc or q35."), def->machine);

  for (xmlNode *n = os->children; n != NULL; n = n->next)
    {
      g_autofree char *dev = NULL;
      char letter;

      if (!node_is (n, "boot"))
        continue;
      dev = attr (n, "dev");
      letter = g_strcmp0 (dev, "hd") == 0 ? 'c' :
               g_strcmp0 (dev, "cdrom") == 0 ? 'd' :
               g_strcmp0 (dev, "network") == 0 ? 'n' :
               g_strcmp0 (dev, "fd") == 0 ? 'a' : 0;
      if (letter == 0)
        {
          return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                       _("<boot dev='%s'/> is unknown; use hd, cdrom, network or fd."),
                       dev ? dev : "");
        }
      if (strchr (order->str, letter) == NULL)
        g_string_append_c (order, letter);
    }
  if (order->len > 0)
    def->boot_order = g_strdup (order->str);
  menu = attr (child_element (os, "bootmenu"), "enable");
  def->boot_menu = g_strcmp0 (menu, "yes") == 0;

  /* Booting a UEFI guest with BIOS would fail in ways far from the cause: refuse. */
  firmware = attr (os, "firmware");
  if ((firmware != NULL && !g_str_equal (firmware, "bios")) ||
      child_element (os, "loader") != NULL || child_element (os, "nvram") != NULL)
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                               _("Hangar boots machines with BIOS firmware only for now; remove "
                                 "firmware='efi', <loader> and <nvram> from <os>."));

  def->kernel = child_text (os, "kernel");
  def->initrd = child_text (os, "initrd");
  def->cmdline = child_text (os, "cmdline");
  if (def->kernel != NULL && !path_is_acceptable ("kernel", def->kernel, error))
    return FALSE;
  if (def->initrd != NULL && !path_is_acceptable ("initrd", def->initrd, error))
    return FALSE;
  if (def->kernel == NULL && (def->initrd != NULL || def->cmdline != NULL))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("<initrd> and <cmdline> need a <kernel> to boot."));
  return TRUE;
}

static gboolean
parse_cpu (HangarDomainDef  *def,
           xmlNode          *cpu,
           GError          **error)
{
  static const char * const modes[] = { "host-passthrough", "host-model", "custom", NULL };
  xmlNode *topology = child_element (cpu, "topology");

  if (cpu == NULL)
    return TRUE;
  def->cpu_mode = attr (cpu, "mode");
  def->cpu_model = child_text (cpu, "model");
  if (def->cpu_mode == NULL)
    def->cpu_mode = g_strdup (def->cpu_model ? "custom" : "host-model");
  if (!one_of (def->cpu_mode, modes))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("The CPU mode “%s” is not supported; use host-passthrough, host-model "
                   "or custom."), def->cpu_mode);
  if (g_str_equal (def->cpu_mode, "custom"))
    {
      if (def->cpu_model == NULL || *def->cpu_model == '\0')
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("A CPU of mode='custom' needs a <model>."));
      for (const char *p = def->cpu_model; *p; p++)
        if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
          return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                       _("“%s” is not a CPU model name."), def->cpu_model);
    }
  else
    g_clear_pointer (&def->cpu_model, g_free);

  if (topology != NULL)
    {
      const char *names[] = { "sockets", "dies", "cores", "threads" };
      guint *fields[] = { &def->sockets, &def->dies, &def->cores, &def->threads };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *value = attr (topology, names[i]);
          guint64 number = 1;

          if (value != NULL &&
              !g_ascii_string_to_unsigned (value, 10, 1, MAX_VCPUS, &number, NULL))
            return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                         _("<topology %s='%s'/> must be a number from 1 to %d."),
                         names[i], value, MAX_VCPUS);
          *fields[i] = number;
        }
      if ((guint64) def->sockets * def->dies * def->cores * def->threads != def->vcpus)
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("The CPU topology gives %" G_GUINT64_FORMAT " CPUs (sockets × dies × "
                       "cores × threads) but <vcpu> says %u."),
                     (guint64) def->sockets * def->dies * def->cores * def->threads, def->vcpus);
    }
  return TRUE;
}

static gboolean
parse_lifecycle (xmlNode             *root,
                 const char          *element,
                 const char * const  *allowed,
                 const char          *fallback,
                 char               **out,
                 GError             **error)
{
  *out = child_text (root, element);
  if (*out == NULL)
    *out = g_strdup (fallback);
  g_strstrip (*out);
  if (!one_of (*out, allowed))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) allowed);
      return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                   _("<%s>%s</%s> is not supported; use one of: %s."),
                   element, *out, element, list);
    }
  return TRUE;
}

static gboolean
parse_root (HangarDomain  *self,
            xmlNode       *root,
            GError       **error)
{
  static const char * const poweroff[] = { "destroy", "restart", NULL };
  static const char * const reboot[] = { "restart", "destroy", NULL };
  static const char * const crash[] = { "destroy", "restart", "preserve", NULL };
  HangarDomainDef *def = &self->def;
  g_autofree char *type = attr (root, "type");
  g_autofree char *vcpu = child_text (root, "vcpu");
  g_autofree char *memory = child_text (root, "memory");
  g_autofree char *current = child_text (root, "currentMemory");
  g_autofree char *memory_unit = attr (child_element (root, "memory"), "unit");
  g_autofree char *current_unit = attr (child_element (root, "currentMemory"), "unit");
  xmlNode *uuid_node = child_element (root, "uuid");
  xmlNode *features = child_element (root, "features");
  xmlNode *devices = child_element (root, "devices");
  guint64 vcpus = 1;

  if (!node_is (root, "domain"))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("The document is not a domain definition: its root element is <%s>, "
                   "not <domain>."), root->name);
  if (g_strcmp0 (type, "kvm") != 0 && g_strcmp0 (type, "qemu") != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("Hangar runs domains of type='kvm' or type='qemu', not type='%s'."),
                 type ? type : "");

  def->name = child_text (root, "name");
  if (!hangar_domain_name_is_valid (def->name, error))
    return FALSE;

  def->uuid = text_of (uuid_node);
  if (def->uuid == NULL)
    {
      xmlNode *name_node = child_element (root, "name");
      xmlNode *new_node = xmlNewDocNode (root->doc, NULL, (const xmlChar *) "uuid", NULL);

      g_assert (name_node != NULL); /* the name was checked above */
      def->uuid = g_uuid_string_random ();
      xmlNodeAddContent (new_node, (const xmlChar *) def->uuid);
      /* Where libvirt puts it: right after <name>, indented like it. */
      xmlAddNextSibling (name_node, new_node);
      if (name_node->prev != NULL && xmlNodeIsText (name_node->prev))
        xmlAddPrevSibling (new_node, xmlCopyNode (name_node->prev, 1));
    }
  else
    {
      char *lower;

      g_strstrip (def->uuid);
      if (!g_uuid_string_is_valid (def->uuid))
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("“%s” is not a UUID."), def->uuid);
      lower = g_ascii_strdown (def->uuid, -1);
      g_free (def->uuid);
      def->uuid = lower;
    }

  def->title = child_text (root, "title");
  def->description = child_text (root, "description");

  if (memory == NULL)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG, _("The definition needs a <memory> size."));
  if (!hangar_domain_parse_memory ("memory", memory, memory_unit, &def->memory_kib, error))
    return FALSE;
  if (def->memory_kib < 1024)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("The machine needs at least 1 MiB of memory; <memory> gives %" G_GUINT64_FORMAT
                   " KiB."), def->memory_kib);
  def->current_memory_kib = def->memory_kib;
  if (current != NULL &&
      !hangar_domain_parse_memory ("currentMemory", current, current_unit,
                                   &def->current_memory_kib, error))
    return FALSE;
  if (def->current_memory_kib > def->memory_kib || def->current_memory_kib == 0)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("<currentMemory> must be more than 0 and no more than <memory>."));

  if (vcpu != NULL &&
      !g_ascii_string_to_unsigned (g_strstrip (vcpu), 10, 1, MAX_VCPUS, &vcpus, NULL))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("<vcpu> must be a number from 1 to %d, not “%s”."), MAX_VCPUS, vcpu);
  def->vcpus = vcpus;

  if (!parse_os (def, child_element (root, "os"), error))
    return FALSE;

  def->acpi = child_element (features, "acpi") != NULL;
  def->apic = child_element (features, "apic") != NULL;

  if (!parse_cpu (def, child_element (root, "cpu"), error))
    return FALSE;

  def->clock_offset = attr (child_element (root, "clock"), "offset");
  if (def->clock_offset == NULL)
    def->clock_offset = g_strdup ("utc");
  if (!one_of (def->clock_offset, (const char * const[]) { "utc", "localtime", NULL }))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("The clock offset “%s” is not supported; use utc or localtime."),
                 def->clock_offset);

  if (!parse_lifecycle (root, "on_poweroff", poweroff, "destroy", &def->on_poweroff, error) ||
      !parse_lifecycle (root, "on_reboot", reboot, "restart", &def->on_reboot, error) ||
      !parse_lifecycle (root, "on_crash", crash, "destroy", &def->on_crash, error))
    return FALSE;

  for (xmlNode *n = devices ? devices->children : NULL; n != NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE && !parse_device (def, n, error))
      return FALSE;

  if (g_strcmp0 (def->usb_model, "none") == 0)
    g_clear_pointer (&def->usb_model, g_free);

  return hangar_domain_check_devices (def, error);
}

static void
on_xml_error (void        *user_data,
              xmlErrorPtr  xml_error)
{
  /* The parser reports through the context's last error; keep stderr quiet. */
}

HangarDomain *
hangar_domain_parse (const char  *xml,
                     gssize       length,
                     GError     **error)
{
  g_autoptr(HangarDomain) self = NULL;
  xmlParserCtxt *ctxt;
  xmlNode *root;

  g_return_val_if_fail (xml != NULL, NULL);

  if (length < 0)
    length = strlen (xml);
  if (length > 1024 * 1024)
    {
      hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG, _("The definition is larger than 1 MiB."));
      return NULL;
    }

  self = g_atomic_rc_box_new0 (HangarDomain);
  self->def.disks = g_ptr_array_new_with_free_func (disk_def_free);
  self->def.nets = g_ptr_array_new_with_free_func (net_def_free);
  self->def.serials = g_ptr_array_new_with_free_func (serial_def_free);
  self->def.inputs = g_ptr_array_new_with_free_func (input_def_free);
  self->def.channels = g_array_new (FALSE, FALSE, sizeof (HangarChannelKind));

  ctxt = xmlNewParserCtxt ();
  xmlSetStructuredErrorFunc (NULL, on_xml_error);
  /* No network, no entity expansion, no DTD loading: a definition reads no other file. */
  self->doc = xmlCtxtReadMemory (ctxt, xml, length, "domain.xml", NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
  if (self->doc == NULL)
    {
      const xmlError *xml_error = xmlCtxtGetLastError (ctxt);
      g_autofree char *message = g_strstrip (g_strdup (xml_error && xml_error->message ?
                                                       xml_error->message : "unknown error"));

      hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
            _("The XML is malformed at line %d: %s."),
            xml_error ? xml_error->line : 0, message);
      xmlFreeParserCtxt (ctxt);
      xmlSetStructuredErrorFunc (NULL, NULL);
      return NULL;
    }
  xmlFreeParserCtxt (ctxt);
  xmlSetStructuredErrorFunc (NULL, NULL);

  root = xmlDocGetRootElement (self->doc);
  if (root == NULL)
    {
      hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG, _("The XML document is empty."));
      return NULL;
    }
  if (!parse_root (self, root, error))
    return NULL;

  return g_steal_pointer (&self);
}

char *
hangar_domain_to_xml (HangarDomain *self)
{
  xmlChar *buffer = NULL;
  int size = 0;
  char *copy;

  g_return_val_if_fail (self != NULL, NULL);

  xmlDocDumpFormatMemoryEnc (self->doc, &buffer, &size, "UTF-8", 1);
  /* Drop the XML declaration: libvirt's own dumps have none. */
  copy = g_strdup (g_str_has_prefix ((char *) buffer, "<?xml") ?
                   strchr ((char *) buffer, '\n') + 1 : (char *) buffer);
  xmlFree (buffer);
  return copy;
}
