/* test-usb.c: USB devices for running machines, against a real engine and QEMU
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * No USB device exists on the test machines, and none can be made (no USB core, no
 * dummy_hcd). What stands in for one:
 *  - a fake sysfs tree (HANGAR_USB_SYSFS) and device folder (HANGAR_USB_DEVFS) for
 *    the listing, the uevents and every error up to opening the device;
 *  - hangar-test-usb-device, a HID keyboard that speaks usbredir as the device side,
 *    attached with AttachUsbStream where the engine's own usbredir host would be.
 * The libusb path past opening the node cannot run here.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <errno.h>
#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-test-engine.h"

typedef struct
{
  HangarTestEngine engine;
  char            *usb_root;   /* the fake trees */
  char            *sysfs;
  char            *devfs;
} Fixture;

static void
add_sysfs_device (Fixture    *fixture,
                  const char *name,
                  guint       bus,
                  guint       address,
                  const char *vendor,
                  const char *product,
                  const char *product_name)
{
  g_autofree char *dir = g_build_filename (fixture->sysfs, name, NULL);
  const char *values[][2] = {
    { "busnum", g_strdup_printf ("%u\n", bus) },
    { "devnum", g_strdup_printf ("%u\n", address) },
    { "idVendor", g_strdup_printf ("%s\n", vendor) },
    { "idProduct", g_strdup_printf ("%s\n", product) },
    { "product", product_name ? g_strdup_printf ("%s\n", product_name) : NULL },
  };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *path = g_build_filename (dir, values[i][0], NULL);

      if (values[i][1] != NULL)
        g_assert_true (g_file_set_contents (path, values[i][1], -1, NULL));
      g_free ((char *) values[i][1]);
    }
}

/* The node of @bus.@address in the fake /dev/bus/usb: a plain file, no USB device. */
static char *
add_devfs_node (Fixture *fixture,
                guint    bus,
                guint    address)
{
  g_autofree char *dir = g_strdup_printf ("%s/%03u", fixture->devfs, bus);
  char *path = g_strdup_printf ("%s/%03u", dir, address);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  return path;
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->usb_root = g_dir_make_tmp ("hangar-usb-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->sysfs = g_build_filename (fixture->usb_root, "sys-bus-usb-devices", NULL);
  fixture->devfs = g_build_filename (fixture->usb_root, "dev-bus-usb", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->sysfs, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (fixture->devfs, 0755), ==, 0);
  add_sysfs_device (fixture, "usb1", 1, 1, "1d6b", "0002", "xHCI Host Controller");
  add_sysfs_device (fixture, "1-1", 1, 4, "046d", "c52b", NULL);
  add_sysfs_device (fixture, "1-2", 1, 5, "1050", "0407", "YubiKey OTP+FIDO+CCID");
  /* Read by the engine only; the tests' own process never lists devices. */
  g_setenv ("HANGAR_USB_SYSFS", fixture->sysfs, TRUE);
  g_setenv ("HANGAR_USB_DEVFS", fixture->devfs, TRUE);
  hangar_test_engine_setup (&fixture->engine);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  hangar_test_engine_teardown (&fixture->engine);
  g_unsetenv ("HANGAR_USB_SYSFS");
  g_unsetenv ("HANGAR_USB_DEVFS");
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->usb_root);

    g_assert_cmpint (system (command), ==, 0);
  }
  g_free (fixture->usb_root);
  g_free (fixture->sysfs);
  g_free (fixture->devfs);
}

/* ---- helpers ---------------------------------------------------------------- */

static GVariant *
list_devices (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GVariant *devices = NULL;

  hangar_dbus_host1_call_list_usb_devices_sync (fixture->engine.host, &devices, NULL, &error);
  g_assert_no_error (error);
  return devices;
}

static GVariantDict *
device_at (GVariant *devices,
           guint     index)
{
  g_autoptr(GVariant) entry = g_variant_get_child_value (devices, index);

  return g_variant_dict_new (entry);
}

static char *
qmp_text (HangarDBusMachine1 *machine,
          const char         *json)
{
  g_autoptr(GError) error = NULL;
  char *reply = NULL;

  hangar_dbus_machine1_call_monitor_command_sync (machine, json, &reply, NULL, &error);
  g_assert_no_error (error);
  return reply;
}

static char *
info_usb (HangarDBusMachine1 *machine)
{
  return qmp_text (machine, "{\"execute\": \"human-monitor-command\", "
                            "\"arguments\": {\"command-line\": \"info usb\"}}");
}

/* UsbDevices as the engine last said, once it has said @count devices. */
static GVariant *
wait_usb_devices (HangarDBusMachine1 *machine,
                  guint               count)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GVariant) devices = NULL;

      while (g_main_context_iteration (NULL, FALSE))
        ;
      devices = hangar_dbus_machine1_dup_usb_devices (machine);
      if (devices != NULL && g_variant_n_children (devices) == count)
        return g_steal_pointer (&devices);
      if (g_get_monotonic_time () > deadline)
        g_error ("UsbDevices never had %u devices", count);
      g_usleep (20000);
    }
}

/* The machine's state is QEMU's: nothing of a failed attach may be left in it. */
static void
assert_nothing_left (HangarDBusMachine1 *machine)
{
  g_autofree char *chardevs = qmp_text (machine, "{\"execute\": \"query-chardev\"}");
  g_autofree char *usb = info_usb (machine);
  g_autofree char *tree = qmp_text (machine, "{\"execute\": \"qom-list\", "
                                             "\"arguments\": {\"path\": \"/machine/peripheral\"}}");
  g_autoptr(GVariant) attached = wait_usb_devices (machine, 0);

  g_assert_null (strstr (chardevs, "chr-usb"));
  g_assert_null (strstr (tree, "\"usbredir"));
  g_assert_null (strstr (tree, "\"usbhost"));
  g_assert_null (strstr (usb, "Product"));
  g_assert_cmpuint (g_variant_n_children (attached), ==, 0);
}

static void
expect_error (GError     *error,
              int         code,
              const char *fragment)
{
  g_autofree char *remote = NULL;

  g_assert_nonnull (error);
  remote = g_dbus_error_get_remote_error (error);
  g_dbus_error_strip_remote_error (error);
  g_assert_error (error, HANGAR_ERROR, code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” lacks “%s”", error->message, fragment);
}

static void
attach_expect_error (HangarDBusMachine1 *machine,
                     const char         *device,
                     const char         *mode,
                     int                 code,
                     const char         *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  hangar_dbus_machine1_call_attach_usb_sync (machine, device, mode, &id, NULL, &error);
  expect_error (error, code, fragment);
}

/* Runs @command in the guest's serial shell until its output contains @expected; the
 * output is framed by markers the typed line itself does not contain. */
static void
guest_expect (int         fd,
              const char *command,
              const char *expected)
{
  g_autofree char *line = g_strdup_printf ("echo \"@@\"B; %s; echo \"@@\"E\n", command);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  g_autoptr(GString) seen = g_string_new (NULL);

  while (g_get_monotonic_time () < deadline)
    {
      gint64 round_end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

      g_string_truncate (seen, 0);
      g_assert_cmpint (write (fd, line, strlen (line)), ==, (gssize) strlen (line));
      while (g_get_monotonic_time () < round_end)
        {
          struct pollfd pfd = { .fd = fd, .events = POLLIN };
          char buffer[512];
          const char *begin, *end;
          ssize_t n;

          if (poll (&pfd, 1, 100) != 1)
            continue;
          n = read (fd, buffer, sizeof buffer);
          if (n <= 0)
            g_error ("The serial console ended: %s", n == 0 ? "end of stream" :
                     g_strerror (errno));
          g_string_append_len (seen, buffer, n);
          begin = strstr (seen->str, "@@B");
          end = begin ? strstr (begin, "@@E") : NULL;
          if (end == NULL)
            continue;
          if (g_strstr_len (begin, end - begin, expected) != NULL)
            {
              g_test_message ("guest: %.*s", (int) (end - begin - 3), begin + 3);
              return;
            }
          break; /* a whole answer without it: ask again */
        }
    }
  g_error ("The guest never answered “%s” with “%s”; last: %s", command, expected, seen->str);
}

/* ---- the test device -------------------------------------------------------- */

typedef struct
{
  GSubprocess *process;
  char        *log;
  int          fd;       /* our end: goes to the engine */
} TestDevice;

static TestDevice *
test_device_start (Fixture *fixture)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  TestDevice *device = g_new0 (TestDevice, 1);
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  device->fd = fds[0];
  device->log = g_build_filename (fixture->usb_root, "usb-device.log", NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, device->log);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  device->process = g_subprocess_launcher_spawn (launcher, &error,
                                                 g_getenv ("HANGAR_TEST_USB_DEVICE"), NULL);
  g_assert_no_error (error);
  return device;
}

static void
test_device_wait (TestDevice *device,
                  const char *line,
                  guint       timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *log = NULL;

      g_file_get_contents (device->log, &log, NULL, NULL);
      if (log != NULL && strstr (log, line) != NULL)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("The test device never said “%s”; it said:\n%s", line, log ? log : "");
      g_usleep (50000);
    }
}

static void
test_device_free (TestDevice *device)
{
  g_autoptr(GError) error = NULL;

  if (device->fd >= 0)
    close (device->fd);
  g_subprocess_force_exit (device->process);
  g_subprocess_wait (device->process, NULL, &error);
  g_object_unref (device->process);
  g_free (device->log);
  g_free (device);
}

static char *
attach_stream (HangarDBusMachine1 *machine,
               TestDevice         *device,
               const char         *label)
{
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
  g_autoptr(GError) error = NULL;
  char *id = NULL;
  int index = g_unix_fd_list_append (fds, device->fd, &error);

  g_assert_no_error (error);
  hangar_dbus_machine1_call_attach_usb_stream_sync (machine, g_variant_new_handle (index), label,
                                                    fds, &id, NULL, NULL, &error);
  g_assert_no_error (error);
  /* The engine passed it on: QEMU holds the only other copy. */
  close (device->fd);
  device->fd = -1;
  return id;
}

static void
wait_info_usb (HangarDBusMachine1 *machine,
               const char         *text,
               gboolean            present)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *usb = info_usb (machine);

      if ((strstr (usb, text) != NULL) == present)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("info usb %s “%s”: %s", present ? "never shows" : "still shows", text, usb);
      g_usleep (100000);
    }
}

/* QEMU's usb-redir says "attached" once the device side has connected a device. */
static void
wait_attached (HangarDBusMachine1 *machine,
               const char         *id)
{
  g_autofree char *json = g_strdup_printf ("{\"execute\": \"qom-get\", \"arguments\": "
                                           "{\"path\": \"/machine/peripheral/%s\", "
                                           "\"property\": \"attached\"}}", id);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *reply = qmp_text (machine, json);

      if (g_str_equal (reply, "true"))
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("%s is not attached: %s", id, reply);
      g_usleep (100000);
    }
}

/* ---- tests ------------------------------------------------------------------ */

static void
on_usb_changed (HangarDBusHost1 *host,
                GVariant        *devices,
                gpointer         user_data)
{
  g_clear_pointer ((GVariant **) user_data, g_variant_unref);
  *(GVariant **) user_data = g_variant_ref (devices);
}

/* What the kernel says when a device is plugged in, sent as the kernel would. */
static gboolean
send_uevent (const char *action,
             const char *devpath)
{
  struct sockaddr_nl destination = { .nl_family = AF_NETLINK, .nl_groups = 1 };
  g_autoptr(GString) message = g_string_new (NULL);
  int fd = socket (AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
  ssize_t sent;

  g_assert_cmpint (fd, >=, 0);
  g_string_append_printf (message, "%s@%s", action, devpath);
  g_string_append_c (message, '\0');
  g_string_append_printf (message, "ACTION=%s", action);
  g_string_append_c (message, '\0');
  g_string_append_printf (message, "DEVPATH=%s", devpath);
  g_string_append_c (message, '\0');
  g_string_append (message, "SUBSYSTEM=usb");
  g_string_append_c (message, '\0');
  g_string_append (message, "DEVTYPE=usb_device");
  g_string_append_c (message, '\0');
  sent = sendto (fd, message->str, message->len, 0, (struct sockaddr *) &destination,
                 sizeof destination);
  if (sent < 0)
    g_test_message ("A uevent cannot be sent here: %s", g_strerror (errno));
  close (fd);
  return sent == (ssize_t) message->len;
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GVariant) devices = NULL;
  g_autoptr(GVariant) announced = NULL;
  g_autoptr(GVariantDict) first = NULL, second = NULL;
  const char *text = NULL;
  guint16 vendor = 0;
  gint64 deadline;

  devices = list_devices (fixture);
  /* The root hub is no device to give. */
  g_assert_cmpuint (g_variant_n_children (devices), ==, 2);
  first = device_at (devices, 0);
  g_assert_true (g_variant_dict_lookup (first, "vendor-id", "q", &vendor));
  g_assert_cmphex (vendor, ==, 0x046d);
  /* No strings from the device: usb.ids names it. */
  g_assert_true (g_variant_dict_lookup (first, "manufacturer", "&s", &text));
  g_assert_cmpstr (text, ==, "Logitech, Inc.");
  g_assert_true (g_variant_dict_lookup (first, "node", "&s", &text));
  g_assert_true (g_str_has_prefix (text, fixture->devfs));
  g_assert_true (g_str_has_suffix (text, "/001/004"));
  g_assert_true (g_variant_dict_lookup (first, "machine", "&s", &text));
  g_assert_cmpstr (text, ==, "");
  second = device_at (devices, 1);
  g_assert_true (g_variant_dict_lookup (second, "label", "&s", &text));
  g_assert_cmpstr (text, ==, "Yubico.com YubiKey OTP+FIDO+CCID (1050:0407)");

  /* Plugged in: the kernel says so, and the engine tells its clients, unasked. */
  g_signal_connect (fixture->engine.host, "usb-devices-changed", G_CALLBACK (on_usb_changed),
                    &announced);
  add_sysfs_device (fixture, "2-1", 2, 3, "1209", "0001", "Test Keyboard");
  if (!send_uevent ("add", "/devices/pci0000:00/0000:00:14.0/usb2/2-1"))
    {
      g_test_skip ("This process may not send uevents (CAP_NET_ADMIN)");
      return;
    }
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (announced == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (10000), TRUE);
  g_assert_nonnull (announced);
  g_assert_cmpuint (g_variant_n_children (announced), ==, 3);

  /* An interface's uevent says nothing: no signal. Then a removal does. */
  g_clear_pointer (&announced, g_variant_unref);
  {
    g_autofree char *gone = g_build_filename (fixture->sysfs, "2-1", NULL);
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", gone);

    g_assert_cmpint (system (command), ==, 0);
  }
  g_assert_true (send_uevent ("remove", "/devices/pci0000:00/0000:00:14.0/usb2/2-1"));
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (announced == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (10000), TRUE);
  g_assert_nonnull (announced);
  g_assert_cmpuint (g_variant_n_children (announced), ==, 2);
}

/* The test keyboard reaches QEMU through AttachUsbStream, and leaves on DetachUsb. */
static void
test_stream (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("usb-stream", NULL);
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GVariant) attached = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *usb = NULL;
  TestDevice *device;
  const char *id_, *mode, *place, *label;

  machine = hangar_test_define (&fixture->engine, xml);
  hangar_test_start_and_wait_ready (&fixture->engine, machine);

  device = test_device_start (fixture);
  id = attach_stream (machine, device, "Test Keyboard (stream)");
  g_assert_cmpstr (id, ==, "usbredir0");
  test_device_wait (device, "connected", 10);
  /* QEMU attached it to the xHCI controller it was given for it. */
  wait_attached (machine, "usbredir0");
  usb = info_usb (machine);
  g_assert_nonnull (strstr (usb, "USB Redirection Device, ID: usbredir0"));
  g_test_message ("info usb: %s", usb);
  {
    g_autofree char *pci = qmp_text (machine, "{\"execute\": \"query-pci\"}");

    g_assert_true (strstr (pci, "\"qdev_id\":\"usb\"") || strstr (pci, "\"qdev_id\": \"usb\""));
  }

  attached = wait_usb_devices (machine, 1);
  g_variant_get_child (attached, 0, "(&s&s&s&s)", &id_, &mode, &place, &label);
  g_assert_cmpstr (id_, ==, "usbredir0");
  g_assert_cmpstr (mode, ==, "stream");
  g_assert_cmpstr (place, ==, "");
  g_assert_cmpstr (label, ==, "Test Keyboard (stream)");

  /* Detaching: gone from QEMU, its chardev removed, the stream closed. */
  hangar_dbus_machine1_call_detach_usb_sync (machine, "usbredir0", NULL, &error);
  g_assert_no_error (error);
  wait_info_usb (machine, "usbredir0", FALSE);
  assert_nothing_left (machine);
  test_device_wait (device, "closed", 10);

  /* Once more: a second attach after a detach works and gets a new id. */
  test_device_free (device);
  device = test_device_start (fixture);
  g_clear_pointer (&id, g_free);
  id = attach_stream (machine, device, "Again");
  g_assert_cmpstr (id, ==, "usbredir1");
  wait_attached (machine, "usbredir1");
  hangar_dbus_machine1_call_detach_usb_sync (machine, id, NULL, &error);
  g_assert_no_error (error);
  test_device_wait (device, "closed", 10);
  assert_nothing_left (machine);
  test_device_free (device);
}

/* Bad input, each a named error, nothing left behind in QEMU. */
static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("usb-errors", NULL);
  g_autofree char *other_xml = hangar_test_guest_xml ("usb-other", NULL);
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(HangarDBusMachine1) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *node = NULL;

  machine = hangar_test_define (&fixture->engine, xml);
  other = hangar_test_define (&fixture->engine, other_xml);

  /* Not running. */
  attach_expect_error (machine, "1.4", "redir", HANGAR_ERROR_INVALID_STATE, "not running");
  hangar_dbus_machine1_call_detach_usb_sync (machine, "1.4", NULL, &error);
  expect_error (error, HANGAR_ERROR_INVALID_STATE, "not running");
  g_clear_error (&error);

  hangar_test_start_and_wait_ready (&fixture->engine, machine);

  /* Not a device name, not a way to attach, not there. */
  attach_expect_error (machine, "keyboard", "redir", HANGAR_ERROR_INVALID_ARGUMENT,
                       "VENDOR:PRODUCT");
  attach_expect_error (machine, "1.4", "teleport", HANGAR_ERROR_INVALID_ARGUMENT, "teleport");
  attach_expect_error (machine, "9.9", "redir", HANGAR_ERROR_NOT_FOUND,
                       "No USB device is at bus 9, address 9");
  attach_expect_error (machine, "dead:beef", "", HANGAR_ERROR_NOT_FOUND, "dead:beef");
  /* The root hub is listed by sysfs, not by Hangar. */
  attach_expect_error (machine, "1.1", "redir", HANGAR_ERROR_NOT_FOUND, "bus 1, address 1");

  /* In sysfs, but its node is gone: unplugged between the listing and the open. */
  attach_expect_error (machine, "046d:c52b", "redir", HANGAR_ERROR_NOT_FOUND, "was unplugged");
  assert_nothing_left (machine);
  attach_expect_error (machine, "1.4", "host", HANGAR_ERROR_NOT_FOUND, "/001/004 is gone");
  assert_nothing_left (machine);

  /* A node that is no USB device the kernel serves: libusb refuses it, by name. */
  node = add_devfs_node (fixture, 1, 4);
  attach_expect_error (machine, "1.4", "redir", HANGAR_ERROR_NOT_FOUND, node);
  assert_nothing_left (machine);

  /* Detaching what is not attached. */
  hangar_dbus_machine1_call_detach_usb_sync (machine, "1.5", NULL, &error);
  expect_error (error, HANGAR_ERROR_NOT_FOUND, "has no USB device “1.5”");
  g_clear_error (&error);

  /* A failed attach holds nothing: the device is free in the listing. */
  {
    g_autoptr(GVariant) devices = list_devices (fixture);
    g_autoptr(GVariantDict) first = device_at (devices, 0);
    const char *holder = NULL;

    g_assert_true (g_variant_dict_lookup (first, "machine", "&s", &holder));
    g_assert_cmpstr (holder, ==, "");
  }
}

/* hangarctl against the same engine: lsusb-like lines, the engine's errors, exit codes. */
static void
test_hangarctl (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("usb-ctl", NULL);
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (&fixture->engine, xml);
  HangarTestEngine *engine = &fixture->engine;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *id = NULL;
  TestDevice *device;

  g_assert_cmpint (hangar_test_run_ctl (engine, &out, &err, "usb-list", NULL), ==, 0);
  g_assert_cmpstr (out, ==,
                   "Bus 001 Device 004: ID 046d:c52b Logitech, Inc. Unifying Receiver\n"
                   "Bus 001 Device 005: ID 1050:0407 Yubico.com YubiKey OTP+FIDO+CCID\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Bad use: named, before the engine is asked, exit status 2. */
  g_assert_cmpint (hangar_test_run_ctl (engine, &out, &err, "usb-attach", "usb-ctl", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "VENDOR:PRODUCT"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The engine's errors, as it words them; exit status 1. */
  g_assert_cmpint (hangar_test_run_ctl (engine, &out, &err, "usb-attach", "usb-ctl", "1.5",
                                        NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not running"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  hangar_test_start_and_wait_ready (engine, machine);
  g_assert_cmpint (hangar_test_run_ctl (engine, &out, &err, "usb-attach", "usb-ctl", "1050:0407",
                                        NULL), ==, 1);
  g_assert_nonnull (strstr (err, "was unplugged"));
  g_assert_nonnull (strstr (err, "/001/005"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (hangar_test_run_ctl (engine, &out, &err, "usb-detach", "usb-ctl", "1.5",
                                        NULL), ==, 1);
  g_assert_nonnull (strstr (err, "has no USB device"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* What a client attached, hangarctl detaches, by its id. */
  device = test_device_start (fixture);
  id = attach_stream (machine, device, "Client keyboard");
  wait_attached (machine, id);
  g_assert_cmpint (hangar_test_run_ctl (engine, &out, &err, "usb-detach", "usb-ctl", id, NULL),
                   ==, 0);
  g_assert_nonnull (strstr (out, "detached"));
  test_device_wait (device, "closed", 10);
  assert_nothing_left (machine);
  test_device_free (device);
}

static void
on_attach_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GError **error = user_data;
  g_autofree char *id = NULL;

  if (!hangar_dbus_machine1_call_attach_usb_finish (HANGAR_DBUS_MACHINE1 (object), &id, result,
                                                    error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "attached as %s", id);
}

/* One device, two machines: the second is refused while the first holds it, and the
 * first's failure (QEMU finds no such device here) leaves nothing held. */
static void
test_two_machines (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("usb-first", NULL);
  g_autofree char *other_xml = hangar_test_guest_xml ("usb-second", NULL);
  g_autoptr(HangarDBusMachine1) first = hangar_test_define (&fixture->engine, xml);
  g_autoptr(HangarDBusMachine1) second = hangar_test_define (&fixture->engine, other_xml);
  g_autofree char *node = add_devfs_node (fixture, 1, 5);
  GError *errors[3] = { NULL, NULL, NULL };

  hangar_test_start_and_wait_ready (&fixture->engine, first);
  hangar_test_start_and_wait_ready (&fixture->engine, second);

  /* Sent together: the engine takes them in order, the first holds the device from the
   * start of its attach. */
  hangar_dbus_machine1_call_attach_usb (first, "1.5", "host", NULL, on_attach_done, &errors[0]);
  hangar_dbus_machine1_call_attach_usb (second, "1050:0407", "host", NULL, on_attach_done,
                                        &errors[1]);
  hangar_dbus_machine1_call_attach_usb (first, "1.5", "redir", NULL, on_attach_done,
                                        &errors[2]);
  while (errors[0] == NULL || errors[1] == NULL || errors[2] == NULL)
    g_main_context_iteration (NULL, TRUE);

  expect_error (errors[1], HANGAR_ERROR_IN_USE, "attached to “usb-first”; detach it there");
  expect_error (errors[2], HANGAR_ERROR_ALREADY_EXISTS, "attached to “usb-first” already");
  /* QEMU's usb-host looks for bus 1, address 5 itself, and there is none. */
  expect_error (errors[0], HANGAR_ERROR_QEMU_FAILED, "failed to find host usb device 1:5");
  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    g_clear_error (&errors[i]);
  assert_nothing_left (first);
  assert_nothing_left (second);

  /* Let go of: the second may have it now (and fails the same way, in QEMU). */
  attach_expect_error (second, "1.5", "host", HANGAR_ERROR_QEMU_FAILED, "1:5");
  assert_nothing_left (second);
}

/* The guest's own kernel (Debian's full kernel: the tiny guest's has no USB) enumerates
 * the test keyboard, binds usbhid to it, and sees it go on DetachUsb. */
static void
test_guest_enumerates (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *tiny = hangar_test_guest_xml ("usb-guest",
                                                 "<controller type='usb' model='qemu-xhci'/>");
  g_autoptr(GString) xml = g_string_new (tiny);
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *log = NULL;
  TestDevice *device;
  int serial;

  g_assert_cmpuint (g_string_replace (xml, "/vmlinuz<", "/vmlinuz-usb<", 1), ==, 1);
  g_assert_cmpuint (g_string_replace (xml, "/initramfs.img<", "/initramfs-usb.img<", 1), ==, 1);
  machine = hangar_test_define (&fixture->engine, xml->str);
  hangar_test_start_and_wait_ready (&fixture->engine, machine);
  serial = hangar_test_open_console (machine, "serial");
  guest_expect (serial, "ls /run", "optional-modules-done");
  guest_expect (serial, "ls /sys/bus/usb/devices", "usb1");

  device = test_device_start (fixture);
  id = attach_stream (machine, device, "Test keyboard");
  wait_attached (machine, id);
  /* The guest read its descriptors, gave it an address and chose its configuration. */
  test_device_wait (device, "set-configuration 1", 60);
  guest_expect (serial, "cat /sys/bus/usb/devices/*/product", "Test Keyboard");
  guest_expect (serial, "cat /sys/bus/usb/devices/*/idVendor", "1209");
  guest_expect (serial, "cat /sys/bus/usb/devices/*/serial", "HANGAR-0001");
  guest_expect (serial, "ls /sys/bus/usb/drivers/usbhid", ":1.0");
  /* usbhid polls the interrupt endpoint of a keyboard that is open; evdev has it. */
  guest_expect (serial, "cat /sys/class/input/*/name", "Hangar Test Keyboard");

  hangar_dbus_machine1_call_detach_usb_sync (machine, id, NULL, &error);
  g_assert_no_error (error);
  guest_expect (serial, "grep -qs 'Test Keyboard' /sys/bus/usb/devices/*/product || "
                        "echo KEYBOARD-GONE", "KEYBOARD-GONE");
  test_device_wait (device, "closed", 10);
  assert_nothing_left (machine);
  g_file_get_contents (device->log, &log, NULL, NULL);
  g_test_message ("test device: %s", log);
  test_device_free (device);
  close (serial);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/usb/list", Fixture, NULL, setup, test_list, teardown);
  g_test_add ("/usb/stream", Fixture, NULL, setup, test_stream, teardown);
  g_test_add ("/usb/errors", Fixture, NULL, setup, test_errors, teardown);
  g_test_add ("/usb/hangarctl", Fixture, NULL, setup, test_hangarctl, teardown);
  g_test_add ("/usb/two-machines", Fixture, NULL, setup, test_two_machines, teardown);
  g_test_add ("/usb/guest-enumerates", Fixture, NULL, setup, test_guest_enumerates, teardown);
  return g_test_run ();
}
