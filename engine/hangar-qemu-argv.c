/* hangar-qemu-argv.c: a definition in, a QEMU command line out
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One pure function: it reads no file and starts nothing, so golden files test it.
 * Two rules keep user strings from turning into options:
 *  - a string inside a key=value option (-name, -chardev paths) has its commas
 *    doubled (hangar_qemu_escape_opt);
 *  - devices, block nodes and objects are written in QEMU's JSON syntax, where a
 *    string is a JSON string and nothing else.
 * Every id is Hangar's own ("disk0", "net1", or an alias the engine gave a device it
 * plugged into a running machine), never taken from a user's definition.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "hangar-error.h"
#include "hangar-qemu-argv.h"

typedef struct
{
  GPtrArray             *argv;
  const HangarDomainDef *def;
  const HangarQemuContext *ctx;
  gboolean               scsi_added;
  gboolean               ahci_added;
  gboolean               virtio_serial_added;
  guint                  boot_next;
} Builder;

/**
 * hangar_qemu_escape_opt:
 *
 * Escapes a value for QEMU's key=value option syntax: a comma becomes two commas.
 */
char *
hangar_qemu_escape_opt (const char *value)
{
  GString *out = g_string_sized_new (strlen (value) + 8);

  for (const char *p = value; *p; p++)
    {
      if (*p == ',')
        g_string_append_c (out, ',');
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
add (Builder    *b,
     const char *arg)
{
  g_ptr_array_add (b->argv, g_strdup (arg));
}

G_GNUC_PRINTF (3, 4)
static void
addf (Builder    *b,
      const char *option,
      const char *format,
      ...)
{
  va_list args;

  add (b, option);
  va_start (args, format);
  g_ptr_array_add (b->argv, g_strdup_vprintf (format, args));
  va_end (args);
}

/* Adds `option {json}` and consumes @builder. */
static void
add_json (Builder     *b,
          const char  *option,
          JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  add (b, option);
  g_ptr_array_add (b->argv, json_generator_to_data (generator, NULL));
  g_object_unref (builder);
}

/* Starts a JSON object `{"<type_key>": type, "<id_key>": id, ...`. */
static JsonBuilder *
json_begin (const char *type_key,
            const char *type,
            const char *id_key,
            const char *id)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, type_key);
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, id_key);
  json_builder_add_string_value (builder, id);
  return builder;
}

static JsonBuilder *
device_begin (const char *driver,
              const char *id)
{
  return json_begin ("driver", driver, "id", id);
}

static void
json_str (JsonBuilder *builder,
          const char  *key,
          const char  *value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_string_value (builder, value);
}

static void
json_int (JsonBuilder *builder,
          const char  *key,
          gint64       value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_int_value (builder, value);
}

static void
json_bool (JsonBuilder *builder,
           const char  *key,
           gboolean     value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_boolean_value (builder, value);
}

static void
add_device (Builder     *b,
            JsonBuilder *device)
{
  json_builder_end_object (device);
  add_json (b, "-device", device);
}

static gboolean
is_q35 (const HangarDomainDef *def)
{
  return g_str_equal (def->machine, "q35") || g_str_has_prefix (def->machine, "pc-q35-");
}

static char *
runtime_path (Builder    *b,
              const char *name)
{
  g_autofree char *path = g_build_filename (b->ctx->runtime_dir, name, NULL);

  return hangar_qemu_escape_opt (path);
}

/* ---- firmware --------------------------------------------------------------- */

static void
add_pflash (Builder    *b,
            guint       unit,
            const char *path,
            gboolean    readonly)
{
  g_autofree char *file_node = g_strdup_printf ("hangar-pflash%u-file", unit);
  g_autofree char *format_node = g_strdup_printf ("hangar-pflash%u", unit);
  JsonBuilder *file = json_begin ("driver", "file", "node-name", file_node);
  JsonBuilder *format = json_begin ("driver", "raw", "node-name", format_node);

  json_str (file, "filename", path);
  json_bool (file, "read-only", readonly);
  json_builder_end_object (file);
  add_json (b, "-blockdev", file);
  json_str (format, "file", file_node);
  json_bool (format, "read-only", readonly);
  json_builder_end_object (format);
  add_json (b, "-blockdev", format);
}

/* UEFI: the code and the variable store as two flash chips; -machine names them. */
static void
add_firmware (Builder *b)
{
  const HangarDomainDef *def = b->def;

  if (def->loader == NULL)
    return;
  add_pflash (b, 0, def->loader, TRUE);
  add_pflash (b, 1, def->nvram ? def->nvram : b->ctx->nvram_path, FALSE);
}

/* ---- disks ---------------------------------------------------------------- */

static void
add_disk_bus (Builder       *b,
              JsonBuilder   *device,
              const HangarDiskDef *disk)
{
  if (g_str_equal (disk->bus, "sata"))
    {
      g_autofree char *bus = NULL;

      if (!is_q35 (b->def) && !b->ahci_added)
        {
          JsonBuilder *ahci = device_begin ("ich9-ahci", "sata0");
          add_device (b, ahci);
          b->ahci_added = TRUE;
        }
      /* q35 has an AHCI controller built in, named "ide". */
      bus = g_strdup_printf (is_q35 (b->def) ? "ide.%u" : "sata0.%u", disk->index);
      json_str (device, "bus", bus);
    }
  else if (g_str_equal (disk->bus, "ide"))
    {
      g_autofree char *bus = g_strdup_printf ("ide.%u", disk->index / 2);

      json_str (device, "bus", bus);
      json_int (device, "unit", disk->index % 2);
    }
  else if (g_str_equal (disk->bus, "scsi"))
    {
      if (!b->scsi_added)
        {
          JsonBuilder *scsi = device_begin ("virtio-scsi-pci", "scsi0");
          add_device (b, scsi);
          b->scsi_added = TRUE;
        }
      json_str (device, "bus", "scsi0.0");
      json_int (device, "channel", 0);
      json_int (device, "scsi-id", disk->index);
      json_int (device, "lun", 0);
    }
}

static void
add_cache (JsonBuilder *node,
           const char  *cache,
           gboolean     direct,
           gboolean     no_flush)
{
  if (cache == NULL)
    return;
  json_builder_set_member_name (node, "cache");
  json_builder_begin_object (node);
  json_bool (node, "direct", direct);
  json_bool (node, "no-flush", no_flush);
  json_builder_end_object (node);
}

static const char *
disk_driver (const HangarDiskDef *disk)
{
  gboolean cdrom = g_str_equal (disk->device, "cdrom");

  if (g_str_equal (disk->bus, "virtio"))
    return "virtio-blk-pci";
  if (g_str_equal (disk->bus, "scsi"))
    return cdrom ? "scsi-cd" : "scsi-hd";
  return cdrom ? "ide-cd" : "ide-hd";
}

/* OVMF takes the boot order only from the devices' bootindex (fw_cfg "bootorder"), never
 * from -boot order=, so a UEFI machine would try its disk before the install CD or the
 * network. For one, <os><boot dev/> becomes the bootindex of the first device of each kind
 * (hd, cdrom, network), in that order, as SeaBIOS reads -boot order. 0: none. */
static guint
legacy_bootindex (const Builder *b,
                  char           kind)
{
  const char *at;

  if (b->def->loader == NULL || b->def->boot_order == NULL ||
      (at = strchr (b->def->boot_order, kind)) == NULL)
    return 0;
  return at - b->def->boot_order + 1;
}

/* Whether @disk is the first drive of its kind in the definition: the first disk, or the
 * first CD-ROM drive with a disc in it (an empty one boots nothing). */
static gboolean
first_of_kind (const Builder       *b,
               const HangarDiskDef *disk)
{
  for (guint i = 0; i < b->def->disks->len; i++)
    {
      HangarDiskDef *other = g_ptr_array_index (b->def->disks, i);

      if (g_str_equal (other->device, disk->device) && other->source != NULL)
        return other == disk;
    }
  return FALSE;
}

/* A host CD/DVD drive is opened as a device, as libvirt does: host_cdrom follows the
 * tray and the disc of an optical drive (/dev/sr*, and udev's /dev/cdrom and /dev/dvd
 * links to them); any other block device (a loop device over an ISO) is host_device. */
static const char *
file_driver (const HangarDiskDef *disk)
{
  static const char * const optical[] = { "/dev/sr", "/dev/cdrom", "/dev/dvd" };

  if (!disk->block)
    return "file";
  for (guint i = 0; i < G_N_ELEMENTS (optical); i++)
    if (g_str_has_prefix (disk->source, optical[i]))
      return "host_cdrom";
  return "host_device";
}

/**
 * hangar_qemu_disk_names:
 * @index: the disk's place in the definition
 *
 * A disk's QEMU names: its device id (its alias in a running machine, else
 * "disk<index>") and the node names of its file and format layers.
 */
void
hangar_qemu_disk_names (const HangarDiskDef *disk,
                        guint                index,
                        char               **id,
                        char               **file_node,
                        char               **format_node)
{
  g_autofree char *name = disk->alias ? g_strdup (disk->alias) : g_strdup_printf ("disk%u", index);

  /* "disk3" → hangar-file3 and hangar-disk3, as machines started before aliases. */
  *file_node = g_str_has_prefix (name, "disk") ? g_strconcat ("hangar-file", name + 4, NULL) :
                                                  g_strconcat ("hangar-file-", name, NULL);
  *format_node = g_strconcat ("hangar-", name, NULL);
  *id = g_steal_pointer (&name);
}

/**
 * hangar_qemu_net_names:
 *
 * A NIC's device id ("net<index>" or its alias) and its -netdev id.
 */
void
hangar_qemu_net_names (const HangarNetDef *net,
                       guint               index,
                       char              **id,
                       char              **netdev)
{
  *id = net->alias ? g_strdup (net->alias) : g_strdup_printf ("net%u", index);
  *netdev = g_strconcat ("host", *id, NULL);
}

/* The two block nodes of a disk with a medium, as ended JSON objects. */
static void
disk_nodes (const HangarDiskDef *disk,
            const char          *file_node,
            const char          *format_node,
            JsonBuilder        **out_file,
            JsonBuilder        **out_format)
{
  const char *cache = disk->cache;
  /* libvirt's cache modes as QEMU's three switches. */
  gboolean direct = g_strcmp0 (cache, "none") == 0 || g_strcmp0 (cache, "directsync") == 0;
  gboolean no_flush = g_strcmp0 (cache, "unsafe") == 0;
  JsonBuilder *file = json_begin ("driver", file_driver (disk), "node-name", file_node);
  JsonBuilder *format;

  json_str (file, "filename", disk->source);
  json_bool (file, "read-only", disk->readonly);
  add_cache (file, cache, direct, no_flush);
  if (disk->discard != NULL)
    json_str (file, "discard", disk->discard);
  json_builder_end_object (file);

  /* The format layer caches too (qcow2 metadata): the same mode on both, as libvirt. */
  format = json_begin ("driver", disk->format, "node-name", format_node);
  json_str (format, "file", file_node);
  json_bool (format, "read-only", disk->readonly);
  add_cache (format, cache, direct, no_flush);
  if (disk->discard != NULL)
    json_str (format, "discard", disk->discard);
  json_builder_end_object (format);

  *out_file = file;
  *out_format = format;
}

/* The -device of a disk, ended. Its bus: from @b's controllers when starting, else @bus. */
static JsonBuilder *
disk_device (Builder             *b,
             const HangarDiskDef *disk,
             const char          *id,
             const char          *format_node,
             const char          *bus)
{
  const char *cache = disk->cache;
  gboolean write_cache = !(g_strcmp0 (cache, "writethrough") == 0 ||
                           g_strcmp0 (cache, "directsync") == 0);
  /* Hot-plugged disks (no @b) have a <boot order> or none. */
  guint legacy = b != NULL && first_of_kind (b, disk) ?
                 legacy_bootindex (b, g_str_equal (disk->device, "cdrom") ? 'd' : 'c') : 0;
  JsonBuilder *device = device_begin (disk_driver (disk), id);

  if (b != NULL)
    add_disk_bus (b, device, disk);
  else if (bus != NULL)
    json_str (device, "bus", bus);

  if (disk->source != NULL)
    json_str (device, "drive", format_node);
  if (cache != NULL && !g_str_equal (disk->device, "cdrom"))
    json_str (device, "write-cache", write_cache ? "on" : "off");
  if (disk->boot_order > 0)
    json_int (device, "bootindex", disk->boot_order);
  else if (legacy > 0)
    json_int (device, "bootindex", legacy);
  /* A shared disk: other machines' writers do not keep this one from starting. */
  if (disk->shareable)
    json_bool (device, "share-rw", TRUE);
  json_builder_end_object (device);
  return device;
}

static void
add_disk (Builder       *b,
          HangarDiskDef *disk,
          guint          index)
{
  g_autofree char *id = NULL, *file_node = NULL, *format_node = NULL;

  hangar_qemu_disk_names (disk, index, &id, &file_node, &format_node);
  if (disk->source != NULL)
    {
      JsonBuilder *file, *format;

      disk_nodes (disk, file_node, format_node, &file, &format);
      add_json (b, "-blockdev", file);
      add_json (b, "-blockdev", format);
    }

  add_json (b, "-device", disk_device (b, disk, id, format_node, NULL));
}

static JsonObject *
steal_object (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  g_object_unref (builder);
  return json_object_ref (json_node_get_object (root));
}

/**
 * hangar_qemu_hotplug_disk:
 * @bus: (nullable): the PCI bus to plug into ("hangar-port1" on q35), or NULL
 * @out_file: (out): blockdev-add's arguments for the file layer
 * @out_format: (out): blockdev-add's arguments for the format layer
 * @out_device: (out): device_add's arguments
 *
 * What QMP needs to add a virtio disk to a running machine: the same objects as
 * its -blockdev and -device options. Returns FALSE for a disk that cannot be
 * added live (not virtio, or without a medium).
 */
gboolean
hangar_qemu_hotplug_disk (const HangarDiskDef *disk,
                          guint                index,
                          const char          *bus,
                          JsonObject         **out_file,
                          JsonObject         **out_format,
                          JsonObject         **out_device)
{
  g_autofree char *id = NULL, *file_node = NULL, *format_node = NULL;
  JsonBuilder *file, *format, *device;

  if (!g_str_equal (disk->bus, "virtio") || disk->source == NULL)
    return FALSE;
  hangar_qemu_disk_names (disk, index, &id, &file_node, &format_node);
  disk_nodes (disk, file_node, format_node, &file, &format);
  device = disk_device (NULL, disk, id, format_node, bus);
  *out_file = steal_object (file);
  *out_format = steal_object (format);
  *out_device = steal_object (device);
  return TRUE;
}

/* q35's root bus takes no hot-plugged devices: free root ports do, one device each.
 * Last, so that the other devices keep the slots they had before. */
static void
add_hotplug_ports (Builder *b)
{
  if (!is_q35 (b->def))
    return;
  for (guint i = 0; i < HANGAR_QEMU_HOTPLUG_PORTS; i++)
    {
      g_autofree char *id = g_strdup_printf ("hangar-port%u", i);
      JsonBuilder *port = device_begin ("pcie-root-port", id);

      json_str (port, "bus", "pcie.0");
      json_int (port, "chassis", i + 1);
      add_device (b, port);
    }
}

/* ---- other devices -------------------------------------------------------- */

static const char *
net_driver (const HangarNetDef *net)
{
  return g_str_equal (net->model, "virtio") ? "virtio-net-pci" : net->model;
}

/* @legacy: the bootindex <os><boot dev='network'/> gives it, or 0 */
static JsonBuilder *
net_device (const HangarNetDef *net,
            const char         *id,
            const char         *netdev,
            const char         *bus,
            guint               legacy)
{
  JsonBuilder *device = device_begin (net_driver (net), id);

  if (bus != NULL)
    json_str (device, "bus", bus);
  json_str (device, "netdev", netdev);
  json_str (device, "mac", net->mac);
  if (net->boot_order > 0)
    json_int (device, "bootindex", net->boot_order);
  else if (legacy > 0)
    json_int (device, "bootindex", legacy);
  return device;
}

static void
add_nets (Builder *b)
{
  for (guint i = 0; i < b->def->nets->len; i++)
    {
      HangarNetDef *net = g_ptr_array_index (b->def->nets, i);
      g_autofree char *id = NULL, *netdev = NULL;

      hangar_qemu_net_names (net, i, &id, &netdev);
      addf (b, "-netdev", "user,id=%s", netdev);
      add_device (b, net_device (net, id, netdev, NULL, i == 0 ? legacy_bootindex (b, 'n') : 0));
    }
}

/**
 * hangar_qemu_hotplug_net:
 * @out_netdev: (out): netdev_add's arguments
 * @out_device: (out): device_add's arguments
 *
 * What QMP needs to add a NIC to a running machine.
 */
void
hangar_qemu_hotplug_net (const HangarNetDef *net,
                         guint               index,
                         const char         *bus,
                         JsonObject        **out_netdev,
                         JsonObject        **out_device)
{
  g_autofree char *id = NULL, *netdev_id = NULL;
  JsonBuilder *netdev, *device;

  hangar_qemu_net_names (net, index, &id, &netdev_id);
  netdev = json_begin ("type", "user", "id", netdev_id);
  json_builder_end_object (netdev);
  device = net_device (net, id, netdev_id, bus, 0);
  json_builder_end_object (device);
  *out_netdev = steal_object (netdev);
  *out_device = steal_object (device);
}

static void
add_serials (Builder *b)
{
  for (guint i = 0; i < b->def->serials->len; i++)
    {
      HangarSerialDef *serial = g_ptr_array_index (b->def->serials, i);
      g_autofree char *socket_name = g_strdup_printf (HANGAR_RUNTIME_SERIAL_SOCKET, serial->port);
      g_autofree char *log_name = g_strdup_printf (HANGAR_RUNTIME_SERIAL_LOG, serial->port);
      g_autofree char *socket_path = runtime_path (b, socket_name);
      g_autofree char *log_path = serial->log_path ? hangar_qemu_escape_opt (serial->log_path) :
                                                     runtime_path (b, log_name);
      g_autofree char *chardev = g_strdup_printf ("charserial%u", serial->port);
      g_autofree char *id = g_strdup_printf ("serial%u", serial->port);
      JsonBuilder *device;

      /* A socket for an interactive console, and everything the guest writes in a log. */
      addf (b, "-chardev", "socket,id=%s,path=%s,server=on,wait=off,logfile=%s,logappend=off",
            chardev, socket_path, log_path);
      device = device_begin ("isa-serial", id);
      json_str (device, "chardev", chardev);
      json_int (device, "index", serial->port);
      add_device (b, device);
    }
}

static void
add_channels (Builder *b)
{
  for (guint i = 0; i < b->def->channels->len; i++)
    {
      HangarChannelKind kind = g_array_index (b->def->channels, HangarChannelKind, i);
      g_autofree char *chardev = g_strdup_printf ("charchannel%u", i);
      g_autofree char *id = g_strdup_printf ("channel%u", i);
      JsonBuilder *port;

      if (!b->virtio_serial_added)
        {
          add_device (b, device_begin ("virtio-serial-pci", "virtio-serial0"));
          b->virtio_serial_added = TRUE;
        }
      if (kind == HANGAR_CHANNEL_GUEST_AGENT)
        {
          g_autofree char *path = runtime_path (b, HANGAR_RUNTIME_AGENT_SOCKET);
          addf (b, "-chardev", "socket,id=%s,path=%s,server=on,wait=off", chardev, path);
        }
      else
        addf (b, "-chardev", "spicevmc,id=%s,name=vdagent", chardev);

      port = device_begin ("virtserialport", id);
      json_str (port, "bus", "virtio-serial0.0");
      json_int (port, "nr", i + 1);
      json_str (port, "chardev", chardev);
      json_str (port, "name", kind == HANGAR_CHANNEL_GUEST_AGENT ? "org.qemu.guest_agent.0" :
                                                                   "com.redhat.spice.0");
      add_device (b, port);
    }
}

static void
add_inputs (Builder *b)
{
  for (guint i = 0; i < b->def->inputs->len; i++)
    {
      HangarInputDef *input = g_ptr_array_index (b->def->inputs, i);
      g_autofree char *id = g_strdup_printf ("input%u", i);
      g_autofree char *driver = NULL;
      JsonBuilder *device;

      if (g_str_equal (input->bus, "ps2"))
        continue; /* the i8042 controller of pc and q35 has both */
      if (g_str_equal (input->bus, "usb"))
        driver = g_strdup (g_str_equal (input->type, "keyboard") ? "usb-kbd" :
                           g_str_equal (input->type, "mouse") ? "usb-mouse" : "usb-tablet");
      else
        driver = g_strdup_printf ("virtio-%s-pci", input->type);
      device = device_begin (driver, id);
      if (g_str_equal (input->bus, "usb"))
        json_str (device, "bus", "usb.0");
      add_device (b, device);
    }
}

static void
add_display (Builder *b)
{
  const HangarDomainDef *def = b->def;
  const char *video = def->video;

  if (video == NULL)
    video = (def->has_vnc || def->has_spice) ? "vga" : "none";
  if (!g_str_equal (video, "none"))
    {
      const char *driver = g_str_equal (video, "virtio") ? "virtio-vga" :
                           g_str_equal (video, "qxl") ? "qxl-vga" :
                           g_str_equal (video, "bochs") ? "bochs-display" : "VGA";
      add_device (b, device_begin (driver, "video0"));
    }

  /* QEMU never opens a window of its own: consoles go through unix sockets only. */
  add (b, "-display");
  add (b, "none");
  if (def->has_vnc)
    {
      g_autofree char *path = runtime_path (b, HANGAR_RUNTIME_VNC_SOCKET);
      addf (b, "-vnc", "unix:%s", path);
    }
  if (def->has_spice)
    {
      g_autofree char *path = runtime_path (b, HANGAR_RUNTIME_SPICE_SOCKET);
      addf (b, "-spice", "unix=on,addr=%s,disable-ticketing=on", path);
    }
}

/* USB host devices (QEMU's usb-host: by ids it waits for the device and takes it again
 * when it is plugged in again) and SPICE's USB redirection channels. A machine without a
 * USB controller gets a qemu-xhci for them, as libvirt adds one. */
static void
add_usb_devices (Builder *b)
{
  const HangarDomainDef *def = b->def;
  guint hostdevs = def->usb_hostdevs ? def->usb_hostdevs->len : 0;

  if (hostdevs == 0 && def->usb_redirdevs == 0)
    return;
  if (def->usb_model == NULL)
    add_device (b, device_begin ("qemu-xhci", "usb"));
  for (guint i = 0; i < hostdevs; i++)
    {
      const HangarUsbHostdevDef *hostdev = &g_array_index (def->usb_hostdevs,
                                                           HangarUsbHostdevDef, i);
      g_autofree char *id = g_strdup_printf ("hostdev%u", i);
      JsonBuilder *device = device_begin ("usb-host", id);

      json_str (device, "bus", "usb.0");
      if (hostdev->bus != 0)
        {
          json_int (device, "hostbus", hostdev->bus);
          json_int (device, "hostaddr", hostdev->device);
        }
      else
        {
          json_int (device, "vendorid", hostdev->vendor_id);
          json_int (device, "productid", hostdev->product_id);
        }
      add_device (b, device);
    }
  for (guint i = 0; i < def->usb_redirdevs; i++)
    {
      g_autofree char *chardev = g_strdup_printf ("charredir%u", i);
      g_autofree char *id = g_strdup_printf ("redir%u", i);
      JsonBuilder *device = device_begin ("usb-redir", id);

      addf (b, "-chardev", "spicevmc,id=%s,name=usbredir", chardev);
      json_str (device, "chardev", chardev);
      json_str (device, "bus", "usb.0");
      add_device (b, device);
    }
}

static void
add_misc_devices (Builder *b)
{
  const HangarDomainDef *def = b->def;

  if (def->usb_model != NULL)
    {
      /* libvirt's model names, QEMU's device names. */
      const char *driver = g_str_equal (def->usb_model, "piix3-uhci") ? "piix3-usb-uhci" :
                           g_str_equal (def->usb_model, "ich9-ehci1") ? "ich9-usb-ehci1" :
                           g_str_equal (def->usb_model, "nec-xhci") ? "nec-usb-xhci" :
                           def->usb_model;
      add_device (b, device_begin (driver, "usb"));
    }
  add_usb_devices (b);

  if (def->sound != NULL)
    {
      addf (b, "-audiodev", "driver=%s,id=audio0", def->has_spice ? "spice" : "none");
      if (g_str_equal (def->sound, "ich9") || g_str_equal (def->sound, "ich6"))
        {
          JsonBuilder *codec;

          add_device (b, device_begin (g_str_equal (def->sound, "ich9") ?
                                               "ich9-intel-hda" : "intel-hda", "sound0"));
          codec = device_begin ("hda-duplex", "sound0-codec0");
          json_str (codec, "bus", "sound0.0");
          json_int (codec, "cad", 0);
          json_str (codec, "audiodev", "audio0");
          add_device (b, codec);
        }
      else
        {
          JsonBuilder *card = device_begin (g_str_equal (def->sound, "ac97") ?
                                                    "AC97" : "ES1370", "sound0");
          json_str (card, "audiodev", "audio0");
          add_device (b, card);
        }
    }

  if (def->rng_backend != NULL)
    {
      JsonBuilder *object = json_begin ("qom-type", "rng-random", "id", "objrng0");
      JsonBuilder *device;

      json_str (object, "filename", def->rng_backend);
      json_builder_end_object (object);
      add_json (b, "-object", object);
      device = device_begin ("virtio-rng-pci", "rng0");
      json_str (device, "rng", "objrng0");
      add_device (b, device);
    }

  if (def->balloon)
    add_device (b, device_begin ("virtio-balloon-pci", "balloon0"));

  if (def->watchdog_model != NULL)
    {
      /* libvirt's action names are QEMU's, but for inject-nmi. */
      addf (b, "-action", "watchdog=%s", def->watchdog_action);
      add_device (b, device_begin ("i6300esb", "watchdog0"));
    }
}

static const char *
cpu_model (const HangarDomainDef   *def,
           const HangarQemuContext *ctx)
{
  if (def->cpu_mode == NULL)
    return NULL;
  if (g_str_equal (def->cpu_mode, "custom"))
    return def->cpu_model;
  /* Both host modes pass the host CPU through under KVM; TCG emulates all it can. */
  return g_str_equal (ctx->accel, "kvm") ? "host" : "max";
}

/**
 * hangar_qemu_build_argv:
 * @def: a parsed, checked definition
 * @ctx: where QEMU is, its accelerator and runtime folder
 *
 * Returns: (transfer full): the argv to exec, starting with the QEMU binary.
 */
GStrv
hangar_qemu_build_argv (const HangarDomainDef    *def,
                        const HangarQemuContext  *ctx,
                        GError                  **error)
{
  Builder b = { .argv = g_ptr_array_new_with_free_func (g_free), .def = def, .ctx = ctx };
  g_autofree char *name = NULL;
  const char *cpu;

  g_return_val_if_fail (def != NULL, NULL);
  g_return_val_if_fail (ctx != NULL && ctx->runtime_dir != NULL, NULL);
  g_return_val_if_fail (def->loader == NULL || def->nvram != NULL || ctx->nvram_path != NULL,
                        NULL);

  if (!g_str_equal (ctx->accel, "kvm") && !g_str_equal (ctx->accel, "tcg"))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_SUPPORTED,
                   _("The accelerator “%s” is not supported; use kvm or tcg."), ctx->accel);
      g_ptr_array_unref (b.argv);
      return NULL;
    }

  add (&b, ctx->qemu_binary);
  name = hangar_qemu_escape_opt (def->name);
  addf (&b, "-name", "guest=%s,debug-threads=on", name);
  addf (&b, "-uuid", "%s", def->uuid);
  add (&b, "-no-user-config");
  add (&b, "-nodefaults");
  add (&b, "-no-shutdown");
  addf (&b, "-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
  addf (&b, "-msg", "timestamp=on");
  add_firmware (&b);
  addf (&b, "-machine", "%s,usb=off,acpi=%s%s", def->machine, def->acpi ? "on" : "off",
        def->loader == NULL ? "" :
        def->secure_boot ? ",smm=on,pflash0=hangar-pflash0,pflash1=hangar-pflash1" :
                           ",pflash0=hangar-pflash0,pflash1=hangar-pflash1");
  /* Only code in SMM may write the variables: what makes Secure Boot secure. */
  if (def->secure_boot)
    addf (&b, "-global", "driver=cfi.pflash01,property=secure,value=on");
  addf (&b, "-accel", "%s", ctx->accel);
  cpu = cpu_model (def, ctx);
  if (cpu != NULL)
    addf (&b, "-cpu", "%s", cpu);
  addf (&b, "-m", "size=%" G_GUINT64_FORMAT "k", def->memory_kib);
  {
    /* Fewer online than the most: the rest can be plugged in later. */
    g_autofree char *smp = def->vcpus_current < def->vcpus ?
                           g_strdup_printf ("%u,maxcpus=%u", def->vcpus_current, def->vcpus) :
                           g_strdup_printf ("%u", def->vcpus);

    if (def->sockets > 0 && def->dies > 1)
      addf (&b, "-smp", "%s,sockets=%u,dies=%u,cores=%u,threads=%u",
            smp, def->sockets, def->dies, def->cores, def->threads);
    else if (def->sockets > 0)
      addf (&b, "-smp", "%s,sockets=%u,cores=%u,threads=%u",
            smp, def->sockets, def->cores, def->threads);
    else
      addf (&b, "-smp", "%s", smp);
  }
  addf (&b, "-rtc", "base=%s", def->clock_offset);
  /* While an OS installs, the engine holds the guest at its first reboot to eject the
   * CD-ROM or drop the installer's kernel (see hangar-machine-install.c). */
  if (g_str_equal (def->on_reboot, "destroy") || def->install_phase != NULL)
    addf (&b, "-action", "reboot=shutdown");
  addf (&b, "-action", "panic=pause");

  addf (&b, "-chardev", "socket,id=charmonitor,fd=%d,server=on,wait=off", ctx->monitor_fd);
  addf (&b, "-mon", "chardev=charmonitor,id=monitor,mode=control");

  if (def->kernel != NULL)
    {
      addf (&b, "-kernel", "%s", def->kernel);
      if (def->initrd != NULL)
        addf (&b, "-initrd", "%s", def->initrd);
      if (def->cmdline != NULL)
        addf (&b, "-append", "%s", def->cmdline);
    }
  if (def->boot_order != NULL && def->loader == NULL)
    addf (&b, "-boot", "order=%s,menu=%s", def->boot_order, def->boot_menu ? "on" : "off");
  else if (def->boot_menu)
    addf (&b, "-boot", "menu=on");

  /* Controllers the devices hang off come first. */
  add_misc_devices (&b);
  for (guint i = 0; i < def->disks->len; i++)
    add_disk (&b, g_ptr_array_index (def->disks, i), i);
  add_nets (&b);
  add_serials (&b);
  add_channels (&b);
  add_inputs (&b);
  add_display (&b);
  add_hotplug_ports (&b);

  g_ptr_array_add (b.argv, NULL);
  return (GStrv) g_ptr_array_free (b.argv, FALSE);
}
