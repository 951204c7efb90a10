/* test-usb-devices.c: the host's USB devices, listed from a fake sysfs tree
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "hangar-error.h"
#include "hangar-usb-devices.h"

typedef struct
{
  char *root;     /* the temporary folder */
  char *sysfs;    /* root/devices */
  char *ids;      /* root/usb.ids */
} Fixture;

static void
write_attribute (const char *dir,
                 const char *name,
                 const char *value,
                 gssize      length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, value, length, &error);
  g_assert_no_error (error);
}

/* One entry of /sys/bus/usb/devices. @attributes: name, value pairs, NULL-ended. */
static void
add_entry (Fixture    *f,
           const char *name,
           ...)
{
  g_autofree char *dir = g_build_filename (f->sysfs, name, NULL);
  const char *key;
  va_list args;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  va_start (args, name);
  while ((key = va_arg (args, const char *)) != NULL)
    write_attribute (dir, key, va_arg (args, const char *), -1);
  va_end (args);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->root = g_dir_make_tmp ("hangar-usb-XXXXXX", &error);
  g_assert_no_error (error);
  f->sysfs = g_build_filename (f->root, "devices", NULL);
  f->ids = g_build_filename (f->root, "usb.ids", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->sysfs, 0755), ==, 0);
  write_attribute (f->root, "usb.ids",
                   "# a comment\n"
                   "046d  Logitech, Inc.\n"
                   "\tc52b  Unifying Receiver\n"
                   "\tc077  M105 Optical Mouse\n"
                   "1d6b  Linux Foundation\n"
                   "\t0002  2.0 root hub\n"
                   "abcd  Vendor Without Products\n"
                   "C 09  Hub\n"
                   "\t00  Unused\n", -1);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", f->root);

  g_assert_cmpint (system (command), ==, 0);
  g_free (f->root);
  g_free (f->sysfs);
  g_free (f->ids);
}

static void
add_typical_tree (Fixture *f)
{
  /* A root hub, its interface, an external hub: none is a device to give away. */
  add_entry (f, "usb1", "busnum", "1\n", "devnum", "1\n", "idVendor", "1d6b\n",
             "idProduct", "0002\n", "bDeviceClass", "09\n", NULL);
  add_entry (f, "1-0:1.0", "bInterfaceClass", "09\n", NULL);
  add_entry (f, "1-1", "busnum", "1\n", "devnum", "2\n", "idVendor", "05e3\n",
             "idProduct", "0608\n", "bDeviceClass", "09\n", "product", "USB2.0 Hub\n", NULL);
  /* A device with its own strings, behind the hub. */
  add_entry (f, "1-1.2", "busnum", "1\n", "devnum", "5\n", "idVendor", "1050\n",
             "idProduct", "0407\n", "bDeviceClass", "00\n", "manufacturer", "Yubico\n",
             "product", "YubiKey OTP+FIDO+CCID\n", "serial", "\n", "speed", "12\n", NULL);
  add_entry (f, "1-1.2:1.0", "bInterfaceClass", "03\n", NULL);
  /* A device with no strings: usb.ids names it. */
  add_entry (f, "1-1.3", "busnum", "1\n", "devnum", "4\n", "idVendor", "046d\n",
             "idProduct", "c52b\n", "bDeviceClass", "00\n", "speed", "12\n", NULL);
  /* A vendor usb.ids knows, a product it does not, and no strings. */
  add_entry (f, "2-1", "busnum", "2\n", "devnum", "3\n", "idVendor", "abcd\n",
             "idProduct", "1234\n", "bDeviceClass", "ff\n", "speed", "5000\n", NULL);
  /* Neither known nor named. */
  add_entry (f, "2-2", "busnum", "2\n", "devnum", "7\n", "idVendor", "f00d\n",
             "idProduct", "beef\n", NULL);
  /* Half gone (unplugged while being read): no ids, left out. */
  add_entry (f, "2-3", "busnum", "2\n", "devnum", "8\n", NULL);
}

static GPtrArray *
list (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *devices = hangar_usb_list_devices (f->sysfs, f->ids, &error);

  g_assert_no_error (error);
  g_assert_nonnull (devices);
  return devices;
}

static void
test_listing (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) devices = NULL;
  HangarUsbDevice *d;
  g_autofree char *label0 = NULL, *label2 = NULL, *label3 = NULL;

  add_typical_tree (f);
  devices = list (f);
  g_assert_cmpuint (devices->len, ==, 4);

  /* By bus, then address: 1.4, 1.5, 2.3, 2.7. */
  d = g_ptr_array_index (devices, 0);
  g_assert_cmpuint (d->bus, ==, 1);
  g_assert_cmpuint (d->address, ==, 4);
  g_assert_cmpuint (d->vendor_id, ==, 0x046d);
  g_assert_cmpuint (d->product_id, ==, 0xc52b);
  g_assert_cmpstr (d->manufacturer, ==, "Logitech, Inc.");
  g_assert_cmpstr (d->product, ==, "Unifying Receiver");
  g_assert_cmpstr (d->port, ==, "1-1.3");
  g_assert_cmpstr (d->speed, ==, "12");
  g_assert_true (g_str_has_suffix (d->node, "/001/004"));
  label0 = hangar_usb_device_label (d);
  g_assert_cmpstr (label0, ==, "Logitech, Inc. Unifying Receiver (046d:c52b)");

  d = g_ptr_array_index (devices, 1);
  g_assert_cmpuint (d->address, ==, 5);
  g_assert_cmpstr (d->manufacturer, ==, "Yubico");
  g_assert_cmpstr (d->product, ==, "YubiKey OTP+FIDO+CCID");
  g_assert_cmpstr (d->serial, ==, "");

  d = g_ptr_array_index (devices, 2);
  g_assert_cmpuint (d->bus, ==, 2);
  g_assert_cmpuint (d->device_class, ==, 0xff);
  g_assert_cmpstr (d->manufacturer, ==, "Vendor Without Products");
  g_assert_cmpstr (d->product, ==, "");
  g_assert_cmpstr (d->speed, ==, "5000");
  label2 = hangar_usb_device_label (d);
  g_assert_cmpstr (label2, ==, "Vendor Without Products (abcd:1234)");

  d = g_ptr_array_index (devices, 3);
  g_assert_cmpstr (d->manufacturer, ==, "");
  g_assert_cmpstr (d->product, ==, "");
  g_assert_cmpstr (d->speed, ==, "");
  label3 = hangar_usb_device_label (d);
  g_assert_cmpstr (label3, ==, "USB device f00d:beef");
}

static void
test_odd_bytes (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) devices = NULL;
  HangarUsbDevice *d;
  /* Not UTF-8 (Latin-1 é, a stray 0xff), a bell, a tab, a NUL inside. */
  static const char product[] = "Caf\xe9 \xff Key\a\tX\0hidden\n";

  add_entry (f, "3-1", "busnum", "3\n", "devnum", "2\n", "idVendor", "1050\n",
             "idProduct", "0407\n", "manufacturer", "  Spaced Out  \n", NULL);
  {
    g_autofree char *dir = g_build_filename (f->sysfs, "3-1", NULL);

    write_attribute (dir, "product", product, sizeof product - 1);
  }
  devices = list (f);
  g_assert_cmpuint (devices->len, ==, 1);
  d = g_ptr_array_index (devices, 0);
  g_assert_cmpstr (d->manufacturer, ==, "Spaced Out");
  g_assert_true (g_utf8_validate (d->product, -1, NULL));
  g_assert_true (g_str_has_prefix (d->product, "Caf\xef\xbf\xbd \xef\xbf\xbd Key"));
  for (const char *p = d->product; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
}

static void
test_no_usb (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->root, "no-such-folder", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = hangar_usb_list_devices (missing, f->ids, &error);

  /* A host without USB has no devices; that is no error. */
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 0);
}

static void
test_ids_lookup (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *vendor = NULL, *product = NULL;

  g_assert_true (hangar_usb_ids_lookup (f->ids, 0x046d, 0xc077, &vendor, &product));
  g_assert_cmpstr (vendor, ==, "Logitech, Inc.");
  g_assert_cmpstr (product, ==, "M105 Optical Mouse");
  g_clear_pointer (&vendor, g_free);
  g_clear_pointer (&product, g_free);

  /* A product id of another vendor is not this vendor's. */
  g_assert_true (hangar_usb_ids_lookup (f->ids, 0x1d6b, 0xc52b, &vendor, &product));
  g_assert_cmpstr (vendor, ==, "Linux Foundation");
  g_assert_null (product);
  g_clear_pointer (&vendor, g_free);

  /* The class section's "C 09" is no vendor 0x0009. */
  g_assert_false (hangar_usb_ids_lookup (f->ids, 0x0009, 0x0000, &vendor, &product));
  g_assert_false (hangar_usb_ids_lookup ("/nonexistent/usb.ids", 0x046d, 0xc52b,
                                         &vendor, &product));
}

static void
test_selectors (Fixture       *f,
                gconstpointer  data)
{
  static const char * const bad[] = {
    "", "046d", "046d:", ":c52b", "zzzz:c52b", "046d:c52b:1", "12345678:1", "1.", ".4",
    "0.4", "1.128", "256.1", "1.4.2", "one.two", NULL
  };
  guint16 vendor, product;
  guint bus, address;

  g_assert_true (hangar_usb_parse_selector ("046d:c52b", &vendor, &product, &bus, &address,
                                            NULL));
  g_assert_cmphex (vendor, ==, 0x046d);
  g_assert_cmphex (product, ==, 0xc52b);
  g_assert_cmpuint (bus, ==, 0);
  g_assert_true (hangar_usb_parse_selector ("0x046D:0xC52B", &vendor, &product, &bus, &address,
                                            NULL));
  g_assert_cmphex (product, ==, 0xc52b);
  g_assert_true (hangar_usb_parse_selector ("1.4", &vendor, &product, &bus, &address, NULL));
  g_assert_cmpuint (bus, ==, 1);
  g_assert_cmpuint (address, ==, 4);
  g_assert_cmphex (vendor, ==, 0);

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (hangar_usb_parse_selector (bad[i], &vendor, &product, &bus, &address,
                                                 &error));
      g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "VENDOR:PRODUCT"));
    }
}

static void
test_find (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  HangarUsbDevice *d;

  add_typical_tree (f);
  /* A second receiver of the same model. */
  add_entry (f, "2-4", "busnum", "2\n", "devnum", "9\n", "idVendor", "046d\n",
             "idProduct", "c52b\n", NULL);
  devices = list (f);

  d = hangar_usb_find_device (devices, "1050:0407", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (d->address, ==, 5);
  d = hangar_usb_find_device (devices, "2.9", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (d->port, ==, "2-4");

  g_assert_null (hangar_usb_find_device (devices, "046d:c52b", &error));
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "1.4 and 2.9"));
  g_clear_error (&error);

  g_assert_null (hangar_usb_find_device (devices, "3.1", &error));
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "bus 3, address 1"));
  g_clear_error (&error);

  g_assert_null (hangar_usb_find_device (devices, "dead:beef", &error));
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "dead:beef"));
}

static void
test_access_message (Fixture       *f,
                     gconstpointer  data)
{
  HangarUsbDevice device = {
    .bus = 1, .address = 5, .vendor_id = 0x1050, .product_id = 0x0407,
    .node = (char *) "/dev/bus/usb/001/005",
  };
  g_autofree char *by_rule = hangar_usb_access_message (&device, EACCES, NULL);
  g_autofree char *by_group = hangar_usb_access_message (&device, EACCES, "plugdev");

  g_assert_nonnull (strstr (by_rule, "/dev/bus/usb/001/005"));
  g_assert_nonnull (strstr (by_rule, "ATTR{idVendor}==\"1050\""));
  g_assert_nonnull (strstr (by_rule, "ATTR{idProduct}==\"0407\""));
  g_assert_nonnull (strstr (by_rule, "TAG+=\"uaccess\""));
  g_assert_nonnull (strstr (by_rule, g_strerror (EACCES)));
  g_assert_null (strstr (by_rule, "group"));

  g_assert_nonnull (strstr (by_group, "/dev/bus/usb/001/005"));
  g_assert_nonnull (strstr (by_group, "“plugdev”"));
  g_assert_nonnull (strstr (by_group, "uaccess"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/hangar/usb-devices/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("listing", test_listing);
  ADD ("odd-bytes", test_odd_bytes);
  ADD ("no-usb", test_no_usb);
  ADD ("ids-lookup", test_ids_lookup);
  ADD ("selectors", test_selectors);
  ADD ("find", test_find);
  ADD ("access-message", test_access_message);
#undef ADD
  return g_test_run ();
}
