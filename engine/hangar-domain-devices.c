/* hangar-domain-devices.c: the <devices> of a definition
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hangar-domain-private.h"

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
  g_autofree char *order = hangar_xml_attr (hangar_xml_child (device, "boot"), "order");
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

/* <alias name='…'/>: QEMU's id of a device in a running machine (live.xml). Hangar
 * uses only names it makes itself ("disk2", "net0", "hot1"), so an alias can never
 * bring a string into QEMU; others (libvirt's "virtio-disk0", "ua-…") are ignored,
 * and saved definitions lose every alias (hangar_domain_strip_aliases). */
static void
parse_alias (xmlNode  *device,
             char    **out)
{
  g_autofree char *alias = hangar_xml_attr (hangar_xml_child (device, "alias"), "name");

  *out = NULL;
  if (alias != NULL && g_regex_match_simple ("^(disk|net|hot)[0-9]{1,3}$", alias, 0, 0))
    *out = g_steal_pointer (&alias);
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
  /* What the create-VM wizard imports in place. QEMU runs vhdx too, but libvirt's
   * schema has no such disk type: a vhdx image is converted to qcow2. */
  static const char * const formats[] = { "raw", "qcow2", "vmdk", "vdi", NULL };
  static const char * const caches[] = {
    "default", "none", "writeback", "writethrough", "directsync", "unsafe", NULL
  };
  g_autofree char *type = hangar_xml_attr (node, "type");
  g_autoptr(GError) local_error = NULL;
  xmlNode *driver = hangar_xml_child (node, "driver");
  xmlNode *target = hangar_xml_child (node, "target");
  HangarDiskDef *disk = g_new0 (HangarDiskDef, 1);

  g_ptr_array_add (def->disks, disk);
  disk->device = hangar_xml_attr (node, "device");
  if (disk->device == NULL)
    disk->device = g_strdup ("disk");
  if (!hangar_str_one_of (disk->device, devices))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("Hangar can attach disks and CD-ROM drives, not a “%s”."), disk->device);
  disk->block = g_strcmp0 (type, "block") == 0;
  if (g_strcmp0 (type, "file") != 0 && !disk->block)
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("Hangar runs disks backed by files (type='file') and host CD/DVD drives "
                   "(type='block'), not type='%s'."), type ? type : "");
  /* A host drive is read only: its disc is an install medium, not a disk to write. */
  if (disk->block && strcmp (disk->device, "cdrom") != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("Hangar attaches host block devices as CD/DVD drives only "
                   "(device='cdrom'); use an image file for a disk."));

  disk->source = hangar_xml_attr (hangar_xml_child (node, "source"), disk->block ? "dev" : "file");
  if (disk->source != NULL && *disk->source == '\0')
    g_clear_pointer (&disk->source, g_free);
  if (disk->source == NULL && strcmp (disk->device, "cdrom") != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("A disk needs <source file='…'/>; only a CD-ROM drive may be empty."));
  if (disk->source != NULL &&
      !hangar_domain_path_is_acceptable (disk->block ? "CD/DVD drive" : "disk", disk->source,
                                         error))
    return FALSE;

  disk->format = hangar_xml_attr (driver, "type");
  if (disk->format == NULL)
    disk->format = g_strdup ("raw");
  if (!hangar_str_one_of (disk->format, formats))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("The disk format “%s” is not supported; use raw, qcow2, vmdk or vdi."),
                 disk->format);

  disk->cache = hangar_xml_attr (driver, "cache");
  if (disk->cache != NULL && !hangar_str_one_of (disk->cache, caches))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("The cache mode “%s” is unknown; use none, writeback, writethrough, "
                   "directsync or unsafe."), disk->cache);
  if (g_strcmp0 (disk->cache, "default") == 0)
    g_clear_pointer (&disk->cache, g_free);

  disk->target = hangar_xml_attr (target, "dev");
  disk->bus = hangar_xml_attr (target, "bus");
  if (disk->target == NULL)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("A disk needs <target dev='…'/>, such as vda or sda."));
  if (disk->bus == NULL)
    disk->bus = g_strdup (g_str_has_prefix (disk->target, "vd") ? "virtio" :
                          g_str_has_prefix (disk->target, "hd") ? "ide" : "sata");
  if (!hangar_str_one_of (disk->bus, buses))
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

  disk->readonly = hangar_xml_child (node, "readonly") != NULL ||
                   strcmp (disk->device, "cdrom") == 0;
  disk->shareable = hangar_xml_child (node, "shareable") != NULL;
  disk->discard = hangar_xml_attr (driver, "discard");
  if (disk->discard != NULL && strcmp (disk->discard, "unmap") != 0 &&
      strcmp (disk->discard, "ignore") != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("A disk's discard mode is unmap or ignore, not “%s”."), disk->discard);

  for (guint i = 0; i + 1 < def->disks->len; i++)
    {
      HangarDiskDef *other = g_ptr_array_index (def->disks, i);
      if (strcmp (other->target, disk->target) == 0)
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("Two disks use the target “%s”."), disk->target);
    }

  parse_alias (node, &disk->alias);
  return parse_boot_order (node, &disk->boot_order, error);
}

static gboolean
parse_interface (HangarDomainDef  *def,
                 xmlNode          *node,
                 GError          **error)
{
  static const char * const models[] = { "virtio", "e1000", "e1000e", "rtl8139", NULL };
  g_autofree char *type = hangar_xml_attr (node, "type");
  xmlNode *mac_node = hangar_xml_child (node, "mac");
  HangarNetDef *net = g_new0 (HangarNetDef, 1);

  g_ptr_array_add (def->nets, net);
  if (g_strcmp0 (type, "user") != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("Hangar connects machines with user-mode NAT (type='user'), "
                   "not type='%s'."), type ? type : "");

  net->model = hangar_xml_attr (hangar_xml_child (node, "model"), "type");
  if (net->model == NULL)
    net->model = g_strdup ("virtio");
  if (!hangar_str_one_of (net->model, models))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("The network card model “%s” is not supported; use virtio, e1000, "
                   "e1000e or rtl8139."), net->model);

  net->mac = hangar_xml_attr (mac_node, "address");
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

  for (guint i = 0; i + 1 < def->nets->len; i++)
    {
      HangarNetDef *other = g_ptr_array_index (def->nets, i);
      if (strcmp (other->mac, net->mac) == 0)
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("Two network cards have the MAC address %s."), net->mac);
    }

  {
    g_autofree char *link = hangar_xml_attr (hangar_xml_child (node, "link"), "state");

    if (link != NULL && strcmp (link, "up") != 0 && strcmp (link, "down") != 0)
      return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                   _("A network card's link state is up or down, not “%s”."), link);
    net->link_down = g_strcmp0 (link, "down") == 0;
  }

  parse_alias (node, &net->alias);
  return parse_boot_order (node, &net->boot_order, error);
}

static gboolean
parse_serial (HangarDomainDef  *def,
              xmlNode          *node,
              GError          **error)
{
  g_autofree char *type = hangar_xml_attr (node, "type");
  g_autofree char *port = hangar_xml_attr (hangar_xml_child (node, "target"), "port");
  HangarSerialDef *serial = g_new0 (HangarSerialDef, 1);
  guint64 value = def->serials->len;

  g_ptr_array_add (def->serials, serial);
  if (g_strcmp0 (type, "file") == 0)
    {
      serial->log_path = hangar_xml_attr (hangar_xml_child (node, "source"), "path");
      if (serial->log_path == NULL)
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("A serial port of type='file' needs <source path='…'/>."));
      if (!hangar_domain_path_is_acceptable ("serial log", serial->log_path, error))
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
  input->type = hangar_xml_attr (node, "type");
  input->bus = hangar_xml_attr (node, "bus");
  if (!hangar_str_one_of (input->type, types))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("The input device type “%s” is not supported; use tablet, mouse or keyboard."),
                 input->type ? input->type : "");
  if (input->bus == NULL)
    input->bus = g_strdup (strcmp (input->type, "tablet") == 0 ? "usb" : "ps2");
  if (!hangar_str_one_of (input->bus, buses))
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
  g_autofree char *type = hangar_xml_attr (node, "type");
  g_autofree char *name = hangar_xml_attr (hangar_xml_child (node, "target"), "name");
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
  g_autofree char *model = hangar_xml_attr (node, attribute);

  if (*out != NULL)
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("Hangar supports one %s device per machine."), what);
  if (!hangar_str_one_of (model, allowed))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) allowed);
      return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                   _("The %s model “%s” is not supported; use one of: %s."),
                   what, model ? model : "", list);
    }
  *out = g_steal_pointer (&model);
  return TRUE;
}

/* A number as libvirt writes ids ("0x1209") and places ("1", "004"). */
static gboolean
parse_usb_number (xmlNode  *node,
                  const char *attribute,
                  guint     base,
                  guint64   min,
                  guint64   max,
                  guint64  *value)
{
  g_autofree char *text = hangar_xml_attr (node, attribute);
  const char *digits = text;

  if (text == NULL)
    return FALSE;
  if (base == 16 && (g_str_has_prefix (text, "0x") || g_str_has_prefix (text, "0X")))
    digits += 2;
  return g_ascii_string_to_unsigned (digits, base, min, max, value, NULL);
}

static gboolean
parse_usb_hostdev (HangarDomainDef  *def,
                   xmlNode          *node,
                   GError          **error)
{
  g_autofree char *mode = hangar_xml_attr (node, "mode");
  g_autofree char *type = hangar_xml_attr (node, "type");
  xmlNode *source = hangar_xml_child (node, "source");
  xmlNode *vendor = hangar_xml_child (source, "vendor");
  xmlNode *product = hangar_xml_child (source, "product");
  xmlNode *address = hangar_xml_child (source, "address");
  HangarUsbHostdevDef hostdev = { 0 };
  guint64 a, b;

  if (g_strcmp0 (mode, "subsystem") != 0 || g_strcmp0 (type, "usb") != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("This <hostdev> is no USB device: Hangar passes only USB devices "
                   "through (<hostdev mode='subsystem' type='usb'>)."));
  if (vendor != NULL || product != NULL)
    {
      if (!parse_usb_number (vendor, "id", 16, 0, G_MAXUINT16, &a) ||
          !parse_usb_number (product, "id", 16, 0, G_MAXUINT16, &b))
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("A USB host device needs both <vendor id='0x…'/> and "
                       "<product id='0x…'/>, in hexadecimal."));
      hostdev.vendor_id = a;
      hostdev.product_id = b;
    }
  else if (address != NULL)
    {
      if (!parse_usb_number (address, "bus", 10, 1, 255, &a) ||
          !parse_usb_number (address, "device", 10, 1, 127, &b))
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("A USB host device's <address> needs bus (1 to 255) and device "
                       "(1 to 127)."));
      hostdev.bus = a;
      hostdev.device = b;
    }
  else
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("A USB host device needs a <source> with <vendor> and <product>, or "
                   "an <address>."));
  if (def->usb_hostdevs == NULL)
    def->usb_hostdevs = g_array_new (FALSE, FALSE, sizeof (HangarUsbHostdevDef));
  g_array_append_val (def->usb_hostdevs, hostdev);
  return TRUE;
}

gboolean
hangar_domain_parse_device (HangarDomainDef  *def,
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
      g_autofree char *type = hangar_xml_attr (node, "type");
      gboolean *flag = g_strcmp0 (type, "vnc") == 0 ? &def->has_vnc :
                       g_strcmp0 (type, "spice") == 0 ? &def->has_spice : NULL;
      g_autofree char *port = hangar_xml_attr (node, "port");
      gint64 number = 0;

      if (flag == NULL)
        return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                     _("Hangar shows machines over VNC or SPICE, not “%s”."), type ? type : "");
      /* Hangar's displays are unix sockets, so a port is not used; a nonsense one is
       * still a mistake to say. */
      if (port != NULL && !g_ascii_string_to_signed (port, 10, -1, 65535, &number, NULL))
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("The display port “%s” is not a port number (0 to 65535, or -1)."),
                     port);
      if (*flag)
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("The machine has two %s displays."), type);
      *flag = TRUE;
      return TRUE;
    }
  if (strcmp (name, "video") == 0)
    return parse_simple_model ("video", hangar_xml_child (node, "model"), "type",
                               videos, &def->video, error);
  if (strcmp (name, "sound") == 0)
    return parse_simple_model ("sound", node, "model", sounds, &def->sound, error);
  if (strcmp (name, "rng") == 0)
    {
      static const char * const sources[] = { "/dev/urandom", "/dev/random", "/dev/hwrng", NULL };
      g_autofree char *model = hangar_xml_attr (node, "model");
      g_autofree char *backend = hangar_xml_child_text (node, "backend");

      if (g_strcmp0 (model, "virtio") != 0)
        return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                     _("The random number generator model must be virtio."));
      if (backend == NULL || *g_strstrip (backend) == '\0')
        {
          g_free (backend);
          backend = g_strdup ("/dev/urandom");
        }
      if (!hangar_str_one_of (backend, sources))
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
      g_autofree char *type = hangar_xml_attr (node, "type");
      g_autofree char *model = hangar_xml_attr (node, "model");

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
      g_autofree char *model = hangar_xml_attr (node, "model");

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
      g_autofree char *type = hangar_xml_attr (node, "type");

      if (g_strcmp0 (type, "none") != 0 && g_strcmp0 (type, "spice") != 0)
        return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                     _("The audio backend “%s” is not supported; use none or spice."),
                     type ? type : "");
      return TRUE;
    }
  if (strcmp (name, "watchdog") == 0)
    {
      /* The one PCI watchdog of x86 that libvirt's schema knows too. */
      static const char * const models[] = { "i6300esb", NULL };
      static const char * const actions[] = {
        "reset", "shutdown", "poweroff", "pause", "none", "inject-nmi", NULL
      };
      g_autofree char *action = hangar_xml_attr (node, "action");

      if (def->watchdog_model != NULL)
        return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                     _("Hangar supports one watchdog per machine."));
      if (!parse_simple_model ("watchdog", node, "model", models, &def->watchdog_model, error))
        return FALSE;
      if (action == NULL)
        action = g_strdup ("reset");
      if (!hangar_str_one_of (action, actions))
        return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                     _("The watchdog action “%s” is not supported; use reset, shutdown, "
                       "poweroff, pause, none or inject-nmi."), action);
      def->watchdog_action = g_steal_pointer (&action);
      return TRUE;
    }
  if (strcmp (name, "hostdev") == 0)
    return parse_usb_hostdev (def, node, error);
  if (strcmp (name, "redirdev") == 0)
    {
      g_autofree char *bus = hangar_xml_attr (node, "bus");
      g_autofree char *type = hangar_xml_attr (node, "type");

      if (g_strcmp0 (bus, "usb") != 0 || g_strcmp0 (type, "spicevmc") != 0)
        return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                     _("Hangar redirects USB devices only over SPICE: use "
                       "<redirdev bus='usb' type='spicevmc'/>."));
      def->usb_redirdevs++;
      return TRUE;
    }
  if (g_strv_contains (passive, name))
    return TRUE;

  return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
               _("Hangar cannot run a machine with a <%s> device yet; remove it from the "
                 "definition."), name);
}
