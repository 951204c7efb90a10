/* hangar-usb-devices.c: the host's USB devices, read from sysfs and named by usb.ids
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * /sys/bus/usb/devices holds one entry per device ("1-1", "1-1.2"), one per root hub
 * ("usb1") and one per interface ("1-1:1.0"). Root hubs, hubs and interfaces are not
 * devices a person gives to a machine: they are left out. The strings a device gives
 * (manufacturer, product, serial) are bytes the device chose: they are made valid
 * UTF-8 and stripped of control characters before anyone shows them.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdlib.h>

#include "hangar-error.h"
#include "hangar-usb-devices.h"

#define USB_CLASS_HUB 0x09

void
hangar_usb_device_free (HangarUsbDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->port);
  g_free (device->manufacturer);
  g_free (device->product);
  g_free (device->serial);
  g_free (device->speed);
  g_free (device->node);
  g_free (device);
}

HangarUsbDevice *
hangar_usb_device_copy (const HangarUsbDevice *device)
{
  HangarUsbDevice *copy = g_memdup2 (device, sizeof *device);

  copy->port = g_strdup (device->port);
  copy->manufacturer = g_strdup (device->manufacturer);
  copy->product = g_strdup (device->product);
  copy->serial = g_strdup (device->serial);
  copy->speed = g_strdup (device->speed);
  copy->node = g_strdup (device->node);
  return copy;
}

const char *
hangar_usb_sysfs_root (void)
{
  const char *root = g_getenv ("HANGAR_USB_SYSFS");

  return root != NULL && *root != '\0' ? root : "/sys/bus/usb/devices";
}

const char *
hangar_usb_devfs_root (void)
{
  const char *root = g_getenv ("HANGAR_USB_DEVFS");

  return root != NULL && *root != '\0' ? root : "/dev/bus/usb";
}

static const char *
usb_ids_path (const char *ids_path)
{
  const char *env = g_getenv ("HANGAR_USB_IDS");

  if (ids_path != NULL)
    return ids_path;
  return env != NULL && *env != '\0' ? env : "/usr/share/misc/usb.ids";
}

/* A string a device or a file gave: valid UTF-8, no control characters, trimmed. */
static char *
clean_string (const char *bytes,
              gssize      length)
{
  g_autofree char *valid = g_utf8_make_valid (bytes, length);
  GString *out = g_string_new (NULL);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        c = ' ';
      g_string_append_unichar (out, c);
    }
  return g_strstrip (g_string_free (out, FALSE));
}

static char *
read_attribute (const char *dir,
                const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  return clean_string (contents, length);
}

static gboolean
read_number (const char *dir,
             const char *name,
             guint       base,
             guint64     max,
             guint64    *value)
{
  g_autofree char *text = read_attribute (dir, name);

  return text != NULL && *text != '\0' &&
         g_ascii_string_to_unsigned (text, base, 0, max, value, NULL);
}

/* usb.ids: "VVVV  Vendor name", then its products as "\tPPPP  Product name". Other
 * sections (classes, languages, ...) start with a letter and a space and are never
 * reached for a vendor id. */
gboolean
hangar_usb_ids_lookup (const char  *ids_path,
                       guint16      vendor_id,
                       guint16      product_id,
                       char       **vendor_name,
                       char       **product_name)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  char vendor_key[8], product_key[8];
  gboolean in_vendor = FALSE;
  const char *line, *end;

  *vendor_name = NULL;
  *product_name = NULL;
  if (!g_file_get_contents (usb_ids_path (ids_path), &contents, &length, NULL))
    return FALSE;
  g_snprintf (vendor_key, sizeof vendor_key, "%04x  ", vendor_id);
  g_snprintf (product_key, sizeof product_key, "\t%04x  ", product_id);

  for (line = contents; line < contents + length; line = end + 1)
    {
      end = memchr (line, '\n', contents + length - line);
      if (end == NULL)
        end = contents + length;
      if (line[0] == '#' || end == line)
        continue;
      if (in_vendor)
        {
          if (line[0] != '\t')
            break;
          if (end - line > 7 && strncmp (line, product_key, 7) == 0)
            {
              *product_name = clean_string (line + 7, end - line - 7);
              break;
            }
          continue;
        }
      if (end - line > 6 && strncmp (line, vendor_key, 6) == 0)
        {
          *vendor_name = clean_string (line + 6, end - line - 6);
          in_vendor = TRUE;
        }
    }
  return *vendor_name != NULL;
}

static int
compare_devices (gconstpointer a,
                 gconstpointer b)
{
  const HangarUsbDevice *x = *(HangarUsbDevice * const *) a;
  const HangarUsbDevice *y = *(HangarUsbDevice * const *) b;

  if (x->bus != y->bus)
    return x->bus < y->bus ? -1 : 1;
  return x->address < y->address ? -1 : x->address > y->address;
}

static HangarUsbDevice *
read_device (const char *root,
             const char *name,
             const char *ids_path)
{
  g_autofree char *dir = g_build_filename (root, name, NULL);
  g_autoptr(HangarUsbDevice) device = g_new0 (HangarUsbDevice, 1);
  guint64 bus, address, vendor, product, device_class = 0;

  if (!read_number (dir, "busnum", 10, 255, &bus) ||
      !read_number (dir, "devnum", 10, 127, &address) ||
      !read_number (dir, "idVendor", 16, G_MAXUINT16, &vendor) ||
      !read_number (dir, "idProduct", 16, G_MAXUINT16, &product))
    return NULL;
  read_number (dir, "bDeviceClass", 16, G_MAXUINT8, &device_class);
  if (device_class == USB_CLASS_HUB)
    return NULL;

  device->bus = bus;
  device->address = address;
  device->vendor_id = vendor;
  device->product_id = product;
  device->device_class = device_class;
  device->port = g_strdup (name);
  device->manufacturer = read_attribute (dir, "manufacturer");
  device->product = read_attribute (dir, "product");
  device->serial = read_attribute (dir, "serial");
  device->speed = read_attribute (dir, "speed");
  device->node = g_strdup_printf ("%s/%03u/%03u", hangar_usb_devfs_root (), device->bus,
                                  device->address);

  if (device->manufacturer == NULL || *device->manufacturer == '\0' ||
      device->product == NULL || *device->product == '\0')
    {
      g_autofree char *vendor_name = NULL;
      g_autofree char *product_name = NULL;

      hangar_usb_ids_lookup (ids_path, vendor, product, &vendor_name, &product_name);
      if ((device->manufacturer == NULL || *device->manufacturer == '\0') && vendor_name)
        {
          g_free (device->manufacturer);
          device->manufacturer = g_steal_pointer (&vendor_name);
        }
      if ((device->product == NULL || *device->product == '\0') && product_name)
        {
          g_free (device->product);
          device->product = g_steal_pointer (&product_name);
        }
    }
  if (device->manufacturer == NULL)
    device->manufacturer = g_strdup ("");
  if (device->product == NULL)
    device->product = g_strdup ("");
  if (device->serial == NULL)
    device->serial = g_strdup ("");
  if (device->speed == NULL)
    device->speed = g_strdup ("");
  return g_steal_pointer (&device);
}

/**
 * hangar_usb_list_devices:
 * @sysfs_root: (nullable): a /sys/bus/usb/devices, or NULL for hangar_usb_sysfs_root()
 * @ids_path: (nullable): a usb.ids, or NULL for the system's
 *
 * Returns: (element-type HangarUsbDevice): the devices, by bus and address. A host
 * without USB (no sysfs folder) has none, which is no error.
 */
GPtrArray *
hangar_usb_list_devices (const char  *sysfs_root,
                         const char  *ids_path,
                         GError     **error)
{
  g_autoptr(GPtrArray) devices =
    g_ptr_array_new_with_free_func ((GDestroyNotify) hangar_usb_device_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  if (sysfs_root == NULL)
    sysfs_root = hangar_usb_sysfs_root ();
  dir = g_dir_open (sysfs_root, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&devices);
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                   _("Could not list the host’s USB devices: %s"), local_error->message);
      return NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      HangarUsbDevice *device;

      if (strchr (name, ':') != NULL || g_str_has_prefix (name, "usb"))
        continue;
      device = read_device (sysfs_root, name, ids_path);
      if (device != NULL)
        g_ptr_array_add (devices, device);
    }
  g_ptr_array_sort (devices, compare_devices);
  return g_steal_pointer (&devices);
}

/* "Logitech, Inc. USB Receiver (046d:c52b)" */
char *
hangar_usb_device_label (const HangarUsbDevice *device)
{
  if (*device->manufacturer != '\0' && *device->product != '\0')
    return g_strdup_printf ("%s %s (%04x:%04x)", device->manufacturer, device->product,
                            device->vendor_id, device->product_id);
  if (*device->product != '\0' || *device->manufacturer != '\0')
    return g_strdup_printf ("%s (%04x:%04x)",
                            *device->product ? device->product : device->manufacturer,
                            device->vendor_id, device->product_id);
  return g_strdup_printf (_("USB device %04x:%04x"), device->vendor_id, device->product_id);
}

/**
 * hangar_usb_parse_selector:
 *
 * A device as a person names it: "VVVV:PPPP" (vendor and product ids, hexadecimal,
 * optionally 0x-prefixed) or "BUS.ADDR" (decimal, as lsusb's "Bus 001 Device 004").
 * Sets either the ids (bus and address 0) or the place (ids 0).
 */
gboolean
hangar_usb_parse_selector (const char  *selector,
                           guint16     *vendor_id,
                           guint16     *product_id,
                           guint       *bus,
                           guint       *address,
                           GError     **error)
{
  g_auto(GStrv) parts = NULL;
  guint64 a, b;

  *vendor_id = *product_id = 0;
  *bus = *address = 0;
  if (selector != NULL && strchr (selector, ':') != NULL)
    {
      parts = g_strsplit (selector, ":", -1);
      if (g_strv_length (parts) == 2 &&
          g_ascii_string_to_unsigned (g_str_has_prefix (parts[0], "0x") ? parts[0] + 2 : parts[0],
                                      16, 0, G_MAXUINT16, &a, NULL) &&
          g_ascii_string_to_unsigned (g_str_has_prefix (parts[1], "0x") ? parts[1] + 2 : parts[1],
                                      16, 0, G_MAXUINT16, &b, NULL) &&
          strlen (parts[0]) <= 6 && strlen (parts[1]) <= 6)
        {
          *vendor_id = a;
          *product_id = b;
          return TRUE;
        }
    }
  else if (selector != NULL && strchr (selector, '.') != NULL)
    {
      parts = g_strsplit (selector, ".", -1);
      if (g_strv_length (parts) == 2 &&
          g_ascii_string_to_unsigned (parts[0], 10, 1, 255, &a, NULL) &&
          g_ascii_string_to_unsigned (parts[1], 10, 1, 127, &b, NULL))
        {
          *bus = a;
          *address = b;
          return TRUE;
        }
    }
  g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
               _("“%s” names no USB device: give VENDOR:PRODUCT (such as 046d:c52b) or "
                 "BUS.ADDRESS (such as 1.4)."), selector ? selector : "");
  return FALSE;
}

/**
 * hangar_usb_find_device:
 *
 * Returns: (transfer none): the one device of @devices that @selector names. Two
 * devices with the same ids are ambiguous: the error says to name one by its place.
 */
HangarUsbDevice *
hangar_usb_find_device (GPtrArray   *devices,
                        const char  *selector,
                        GError     **error)
{
  guint16 vendor, product;
  guint bus, address;
  HangarUsbDevice *found = NULL;

  if (!hangar_usb_parse_selector (selector, &vendor, &product, &bus, &address, error))
    return NULL;
  for (guint i = 0; i < devices->len; i++)
    {
      HangarUsbDevice *device = g_ptr_array_index (devices, i);
      gboolean match = bus != 0 ? device->bus == bus && device->address == address
                                : device->vendor_id == vendor && device->product_id == product;

      if (!match)
        continue;
      if (found != NULL)
        {
          g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                       _("More than one USB device is %04x:%04x (on %u.%u and %u.%u): name "
                         "one by its BUS.ADDRESS."), vendor, product, found->bus,
                       found->address, device->bus, device->address);
          return NULL;
        }
      found = device;
    }
  if (found == NULL)
    {
      if (bus != 0)
        g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND,
                     _("No USB device is at bus %u, address %u on this host."), bus, address);
      else
        g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND,
                     _("No USB device %04x:%04x is plugged into this host."), vendor, product);
    }
  return found;
}

/**
 * hangar_usb_access_message:
 * @group_name: (nullable): the group that owns the device node, when it is not root's
 *
 * What to tell a person whose engine may not open @device's node: the node, and what
 * would grant access.
 */
char *
hangar_usb_access_message (const HangarUsbDevice *device,
                           int                    saved_errno,
                           const char            *group_name)
{
  g_autofree char *rule =
    g_strdup_printf ("SUBSYSTEM==\"usb\", ATTR{idVendor}==\"%04x\", ATTR{idProduct}==\"%04x\", "
                     "TAG+=\"uaccess\"", device->vendor_id, device->product_id);

  if (group_name != NULL && g_strcmp0 (group_name, "root") != 0)
    return g_strdup_printf (_("Hangar may not open %s (%s). Add your user to the group "
                              "“%s” that owns it, or give the person at the desktop access "
                              "with a udev rule such as %s."),
                            device->node, g_strerror (saved_errno), group_name, rule);
  return g_strdup_printf (_("Hangar may not open %s (%s). Give the person at the desktop "
                            "access with a udev rule such as %s in "
                            "/etc/udev/rules.d/70-hangar-usb.rules."),
                          device->node, g_strerror (saved_errno), rule);
}
