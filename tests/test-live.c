/* test-live.c: changing a machine's definition, live where QEMU allows
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Against a real engine running the tiny guest: UpdateConfig, AttachDevice and
 * DetachDevice on a stopped and a running machine. What QEMU took is checked in
 * QEMU (the files its process holds open) and in the guest (/sys, through the
 * serial console's shell); what it could not take is pending, and there at the
 * next start.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <errno.h>
#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-test-engine.h"

typedef HangarTestEngine Fixture;

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  hangar_test_engine_setup (fixture);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  hangar_test_engine_teardown (fixture);
}

/* ---- helpers ---------------------------------------------------------------- */

static char *
make_image (Fixture    *fixture,
            const char *name)
{
  char *path = g_build_filename (fixture->data_dir, name, NULL);
  const char *argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", path, "16M", NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return path;
}

static char *
get_xml (HangarDBusMachine1 *machine)
{
  g_autoptr(GError) error = NULL;
  char *xml = NULL;

  hangar_dbus_machine1_call_get_xml_sync (machine, &xml, NULL, &error);
  g_assert_no_error (error);
  return xml;
}

/* The definition with the first @from replaced by @to. */
static char *
xml_with (HangarDBusMachine1 *machine,
          const char         *from,
          const char         *to)
{
  g_autofree char *xml = get_xml (machine);
  const char *at = strstr (xml, from);

  if (at == NULL)
    g_error ("“%s” is not in %s", from, xml);
  return g_strdup_printf ("%.*s%s%s", (int) (at - xml), xml, to, at + strlen (from));
}

typedef enum { UPDATE, ATTACH, DETACH } Call;

/* Calls UpdateConfig (@xml a whole definition) or Attach/DetachDevice (@xml a
 * device); returns the applied and pending lists joined by "\n". */
static gboolean
change (HangarDBusMachine1  *machine,
        Call                 call,
        const char          *xml,
        char               **out_applied,
        char               **out_pending,
        GError             **error)
{
  g_auto(GStrv) applied = NULL;
  g_auto(GStrv) pending = NULL;
  gboolean ok;

  if (call == UPDATE)
    ok = hangar_dbus_machine1_call_update_config_sync (machine, xml, 0, &applied, &pending,
                                                       NULL, error);
  else if (call == ATTACH)
    ok = hangar_dbus_machine1_call_attach_device_sync (machine, xml, &applied, &pending,
                                                       NULL, error);
  else
    ok = hangar_dbus_machine1_call_detach_device_sync (machine, xml, &applied, &pending,
                                                       NULL, error);
  if (ok)
    {
      *out_applied = g_strjoinv ("\n", applied);
      *out_pending = g_strjoinv ("\n", pending);
    }
  return ok;
}

static void
change_ok (HangarDBusMachine1 *machine,
           Call                call,
           const char         *xml,
           const char         *expect_applied,
           const char         *expect_pending)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *applied = NULL, *pending = NULL;

  change (machine, call, xml, &applied, &pending, &error);
  g_assert_no_error (error);
  g_test_message ("applied: [%s] pending: [%s]", applied, pending);
  g_assert_cmpstr (applied, ==, expect_applied);
  g_assert_cmpstr (pending, ==, expect_pending);
}

static void
change_fails (HangarDBusMachine1 *machine,
              Call                call,
              const char         *xml,
              HangarError         code,
              const char         *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *applied = NULL, *pending = NULL;

  g_assert_false (change (machine, call, xml, &applied, &pending, &error));
  g_assert_error (error, HANGAR_ERROR, (gint) code);
  if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_error ("“%s” is not in “%s”", message_part, error->message);
}

static char *
pending_property (HangarDBusMachine1 *machine)
{
  const char * const *pending;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  pending = hangar_dbus_machine1_get_pending_changes (machine);
  return g_strjoinv ("\n", (char **) (pending ? pending : (const char * const[]) { NULL }));
}

static void
wait_pending (HangarDBusMachine1 *machine,
              const char         *expected)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *pending = pending_property (machine);

      if (g_str_equal (pending, expected))
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("PendingChanges is [%s], not [%s]", pending, expected);
      g_usleep (20000);
    }
}

/* QEMU's own answer to a QMP command, through MonitorCommand. */
static char *
qmp (HangarDBusMachine1 *machine,
     const char         *command)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf ("{\"execute\": \"%s\"}", command);
  char *reply = NULL;

  hangar_dbus_machine1_call_monitor_command_sync (machine, json, &reply, NULL, &error);
  g_assert_no_error (error);
  return reply;
}

static void
assert_qmp_has (HangarDBusMachine1 *machine,
                const char         *command,
                const char         *text,
                gboolean            has)
{
  g_autofree char *reply = qmp (machine, command);

  if ((strstr (reply, text) != NULL) != has)
    g_error ("%s %s “%s”: %s", command, has ? "lacks" : "still has", text, reply);
}

/* Whether QEMU's process has @path open. */
static gboolean
qemu_has_open (HangarDBusMachine1 *machine,
               const char         *path)
{
  g_autofree char *fd_dir = g_strdup_printf ("/proc/%u/fd",
                                             hangar_dbus_machine1_get_pid (machine));
  g_autoptr(GDir) dir = g_dir_open (fd_dir, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = g_build_filename (fd_dir, name, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);

      if (g_strcmp0 (target, path) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
wait_open (HangarDBusMachine1 *machine,
           const char         *path,
           gboolean            open)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (qemu_has_open (machine, path) != open)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("QEMU %s %s", open ? "has not opened" : "still holds", path);
      g_usleep (50000);
    }
}

/* Runs @command in the guest's serial shell until its output contains @expected;
 * the output is framed by markers the typed line itself does not contain. */
static void
guest_expect (int         fd,
              const char *command,
              const char *expected)
{
  g_autofree char *line = g_strdup_printf ("echo \"@@\"B; %s; echo \"@@\"E\n", command);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
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

          if (poll (&pfd, 1, 100) != 1)
            continue;
          {
            ssize_t n = read (fd, buffer, sizeof buffer);
            if (n <= 0)
              g_error ("The serial console ended: %s", n == 0 ? "end of stream" :
                       g_strerror (errno));
            g_string_append_len (seen, buffer, n);
          }
          begin = strstr (seen->str, "@@B");
          end = begin ? strstr (begin, "@@E") : NULL;
          if (end == NULL)
            continue;
          if (g_strstr_len (begin, end - begin, expected) != NULL)
            return;
          break; /* a whole answer without it: ask again */
        }
    }
  g_error ("The guest never answered “%s” with “%s”; last: %s", command, expected, seen->str);
}

static HangarDBusMachine1 *
start_guest (Fixture    *fixture,
             const char *name,
             const char *devices,
             int        *out_serial)
{
  g_autofree char *xml = hangar_test_guest_xml (name, devices);
  HangarDBusMachine1 *machine = hangar_test_define (fixture, xml);

  hangar_test_start_and_wait_ready (fixture, machine);
  *out_serial = hangar_test_open_console (machine, "serial");
  /* The virtio drivers load in the background after READY. */
  guest_expect (*out_serial, "ls /run", "optional-modules-done");
  return machine;
}

/* ---- tests ------------------------------------------------------------------ */

/* A stopped machine: everything is saved, nothing is live or pending. */
static void
test_stopped (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("still", NULL);
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);
  g_autofree char *bigger = NULL, *saved = NULL, *renamed = NULL;

  bigger = xml_with (machine, "<vcpu>1</vcpu>", "<vcpu>2</vcpu>");
  change_ok (machine, UPDATE, bigger, "", "");
  saved = get_xml (machine);
  g_assert_nonnull (strstr (saved, "<vcpu>2</vcpu>"));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (hangar_dbus_machine1_get_vcpus (machine), ==, 2);

  /* The same through hangarctl. */
  {
    g_autofree char *device = g_build_filename (fixture->root, "nic.xml", NULL);
    g_autofree char *out = NULL, *err = NULL;

    g_assert_true (g_file_set_contents (device, "<interface type='user'>"
                                        "<mac address='52:54:00:ab:cd:ef'/></interface>",
                                        -1, NULL));
    g_assert_cmpint (hangar_test_run_ctl (fixture, &out, &err, "attach-device", "still", device,
                                          NULL), ==, 0);
    g_assert_nonnull (strstr (out, "Definition of still saved"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_clear_pointer (&saved, g_free);
    saved = get_xml (machine);
    g_assert_nonnull (strstr (saved, "52:54:00:ab:cd:ef"));
    g_assert_cmpint (hangar_test_run_ctl (fixture, &out, &err, "detach-device", "still", device,
                                          NULL), ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (hangar_test_run_ctl (fixture, &out, &err, "detach-device", "still", device,
                                          NULL), !=, 0);
    g_assert_nonnull (strstr (err, "52:54:00:ab:cd:ef"));
    g_clear_pointer (&saved, g_free);
    saved = get_xml (machine);
    g_assert_null (strstr (saved, "52:54:00:ab:cd:ef"));
  }

  renamed = xml_with (machine, "<name>still</name>", "<name>moved</name>");
  change_ok (machine, UPDATE, renamed, "", "");
  g_clear_object (&machine);
  machine = hangar_test_lookup (fixture, "moved");
  g_assert_cmpstr (hangar_dbus_machine1_get_name (machine), ==, "moved");
  {
    g_autofree char *pending = pending_property (machine);
    g_assert_cmpstr (pending, ==, "");
  }
}

/* Bad input: each refused with its named error, nothing saved. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("careful", NULL);
  g_autofree char *other_xml = hangar_test_guest_xml ("other", NULL);
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);
  g_autoptr(HangarDBusMachine1) other = hangar_test_define (fixture, other_xml);
  g_autofree char *before = get_xml (machine);
  g_autofree char *after = NULL;
  g_autofree char *taken = NULL, *broken = NULL, *missing = NULL, *foreign = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) applied = NULL;
  g_auto(GStrv) pending = NULL;

  taken = xml_with (machine, "<name>careful</name>", "<name>other</name>");
  change_fails (machine, UPDATE, taken, HANGAR_ERROR_ALREADY_EXISTS, "other");

  broken = xml_with (machine, "</devices>", "</devics>");
  change_fails (machine, UPDATE, broken, HANGAR_ERROR_INVALID_CONFIG, "line");
  /* A device Hangar cannot run: its line is named too. */
  change_fails (machine, ATTACH, "<interface type='bridge'><source bridge='br0'/></interface>",
                HANGAR_ERROR_NOT_SUPPORTED, "Line ");

  missing = xml_with (machine, "</devices>",
                      "<disk type='file' device='disk'><source file='/nonexistent/disk.img'/>"
                      "<target dev='vda' bus='virtio'/></disk></devices>");
  change_fails (machine, UPDATE, missing, HANGAR_ERROR_NOT_FOUND, "/nonexistent/disk.img");

  /* Another machine's definition does not land on this one. */
  foreign = get_xml (other);
  change_fails (machine, UPDATE, foreign, HANGAR_ERROR_INVALID_ARGUMENT, "UUID");

  hangar_dbus_machine1_call_update_config_sync (machine, before, 1, &applied, &pending, NULL,
                                                &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  change_fails (machine, DETACH, "<disk type='file'><target dev='vdq'/></disk>",
                HANGAR_ERROR_NOT_FOUND, "vdq");
  change_fails (machine, ATTACH, "<watchdog model='i6300esb'/>",
                HANGAR_ERROR_INVALID_CONFIG, "watchdog");
  change_fails (machine, ATTACH, "<disk", HANGAR_ERROR_INVALID_CONFIG, "XML");
  change_fails (machine, ATTACH, "<interface type='user'><mac address='01:00:00:00:00:01'/>"
                "</interface>", HANGAR_ERROR_INVALID_CONFIG, "MAC");

  after = get_xml (machine);
  g_assert_cmpstr (after, ==, before);
}

/* A running guest: a virtio disk and a NIC plugged in and out, the link pulled. */
static void
test_hotplug (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *image = make_image (fixture, "extra.qcow2");
  g_autofree char *disk = g_strdup_printf ("<disk type='file' device='disk'>"
                                           "<driver name='qemu' type='qcow2'/>"
                                           "<source file='%s'/><target dev='vdb' bus='virtio'/>"
                                           "</disk>", image);
  const char *nic = "<interface type='user'><mac address='52:54:00:12:34:56'/>"
                    "<model type='virtio'/></interface>";
  g_autofree char *unplugged = NULL, *saved = NULL;
  g_autoptr(HangarDBusMachine1) machine = NULL;
  int serial;

  machine = start_guest (fixture, "plug", NULL, &serial);
  g_assert_false (qemu_has_open (machine, image));

  change_ok (machine, ATTACH, disk, "Disk vdb added", "");
  g_assert_true (qemu_has_open (machine, image));
  assert_qmp_has (machine, "query-block", image, TRUE);
  assert_qmp_has (machine, "query-pci", "\"qdev_id\":\"hot0\"", TRUE);
  guest_expect (serial, "ls /sys/block", "vda");
  saved = get_xml (machine);
  g_assert_nonnull (strstr (saved, "dev=\"vdb\""));
  g_assert_null (strstr (saved, "<alias"));
  wait_pending (machine, "");

  change_ok (machine, ATTACH, nic, "Network card 52:54:00:12:34:56 added", "");
  assert_qmp_has (machine, "query-pci", "\"qdev_id\":\"hot1\"", TRUE);
  guest_expect (serial, "cat /sys/class/net/eth0/address", "52:54:00:12:34:56");
  guest_expect (serial, "ip link set eth0 up; echo carrier=$(cat /sys/class/net/eth0/carrier)",
                "carrier=1");

  unplugged = xml_with (machine, "<model type=\"virtio\"/>",
                        "<model type=\"virtio\"/><link state=\"down\"/>");
  change_ok (machine, UPDATE, unplugged, "Network card 52:54:00:12:34:56: cable unplugged", "");
  guest_expect (serial, "echo carrier=$(cat /sys/class/net/eth0/carrier)", "carrier=0");

  change_ok (machine, DETACH, "<disk><target dev='vdb'/></disk>", "Disk vdb removed", "");
  wait_open (machine, image, FALSE);
  assert_qmp_has (machine, "query-block", image, FALSE);
  assert_qmp_has (machine, "query-pci", "\"qdev_id\":\"hot0\"", FALSE);
  guest_expect (serial, "[ -e /sys/block/vda ] && echo vda=present || echo vda=absent",
                "vda=absent");
  change_ok (machine, DETACH, nic, "Network card 52:54:00:12:34:56 removed", "");
  guest_expect (serial, "[ -e /sys/class/net/eth0 ] && echo eth0=present || echo eth0=absent",
                "eth0=absent");
  assert_qmp_has (machine, "query-pci", "\"qdev_id\":\"hot1\"", FALSE);
  {
    /* Bad QMP through hangarctl: a named error. */
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (hangar_test_run_ctl (fixture, &out, &err, "qemu-monitor-command", "plug",
                                          "{\"execute\": \"no-such-command\"}", NULL), !=, 0);
    g_assert_nonnull (strstr (err, "no-such-command"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (hangar_test_run_ctl (fixture, &out, &err, "qemu-monitor-command", "plug",
                                          "[1]", NULL), !=, 0);
  }
  wait_pending (machine, "");
  close (serial);
}

/* A CD-ROM's disc changed and ejected while the guest runs. */
static void
test_media (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *iso = hangar_test_guest_file ("tiny.iso");
  g_autofree char *inserted = NULL, *ejected = NULL, *applied_msg = NULL;
  g_autofree char *source = NULL, *with_source = NULL;
  g_autoptr(HangarDBusMachine1) machine = NULL;
  int serial;

  machine = start_guest (fixture, "disc",
                         "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/></disk>",
                         &serial);
  with_source = g_strdup_printf ("<source file='%s'/><target dev='sda' bus='sata'/>", iso);
  inserted = xml_with (machine, "<target dev=\"sda\" bus=\"sata\"/>", with_source);
  applied_msg = g_strdup_printf ("CD-ROM sda: %s inserted", iso);
  change_ok (machine, UPDATE, inserted, applied_msg, "");
  wait_open (machine, iso, TRUE);

  source = g_strdup_printf ("<source file=\"%s\"/>", iso);
  ejected = xml_with (machine, source, "");
  change_ok (machine, UPDATE, ejected, "CD-ROM sda: ejected", "");
  wait_open (machine, iso, FALSE);
  close (serial);
}

/* What cannot be live is pending, and there after the next start. */
static void
test_pending (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *more = NULL, *less = NULL, *both = NULL;
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  int serial;

  machine = start_guest (fixture, "later", "<memballoon model='virtio'/>", &serial);
  guest_expect (serial, "grep -c ^processor /proc/cpuinfo", "1");

  more = xml_with (machine, "<vcpu>1</vcpu>", "<vcpu>2</vcpu>");
  change_ok (machine, UPDATE, more, "", "Processors: 1 to 2");
  wait_pending (machine, "Processors: 1 to 2");

  /* A live change with a pending one in the same call. */
  less = xml_with (machine, "</memory>", "</memory><currentMemory unit='MiB'>96</currentMemory>");
  both = g_strdup (less);
  change_ok (machine, UPDATE, both, "Current memory: 128 MiB to 96 MiB", "Processors: 1 to 2");
  wait_pending (machine, "Processors: 1 to 2");
  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (hangar_test_run_ctl (fixture, &out, &err, "dominfo", "later", NULL), ==, 0);
    g_assert_nonnull (strstr (out, "Processors: 1 to 2"));
    g_assert_nonnull (strstr (out, "tcg"));
  }
  close (serial);

  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "shut-off", 10);
  wait_pending (machine, "");

  hangar_test_start_and_wait_ready (fixture, machine);
  serial = hangar_test_open_console (machine, "serial");
  guest_expect (serial, "grep -c ^processor /proc/cpuinfo", "2");
  wait_pending (machine, "");
  close (serial);
}

/* Room for a second vCPU: plugged in while the guest runs. */
static void
test_vcpus (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("growing", NULL);
  g_autofree char *roomy = NULL, *two = NULL, *one = NULL;
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  int serial;

  machine = hangar_test_define (fixture, xml);
  roomy = xml_with (machine, "<vcpu>1</vcpu>", "<vcpu current='1'>2</vcpu>");
  change_ok (machine, UPDATE, roomy, "", "");
  hangar_test_start_and_wait_ready (fixture, machine);
  serial = hangar_test_open_console (machine, "serial");
  guest_expect (serial, "ls /sys/devices/system/cpu", "cpu0");
  guest_expect (serial, "[ -e /sys/devices/system/cpu/cpu1 ] && echo cpu1=yes || echo cpu1=no",
                "cpu1=no");

  two = xml_with (machine, "current=\"1\"", "current=\"2\"");
  change_ok (machine, UPDATE, two, "Processors: 1 to 2", "");
  guest_expect (serial, "[ -e /sys/devices/system/cpu/cpu1 ] && echo cpu1=yes || echo cpu1=no",
                "cpu1=yes");
  wait_pending (machine, "");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (hangar_dbus_machine1_get_vcpus (machine), ==, 2);

  /* Taking one out waits for the next start. */
  one = xml_with (machine, "current=\"2\"", "current=\"1\"");
  change_ok (machine, UPDATE, one, "", "Processors: 2 to 1");
  close (serial);
  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
}

static GVariant *
guest_info (HangarDBusMachine1  *machine,
            GError             **error)
{
  GVariant *info = NULL;

  hangar_dbus_machine1_call_get_guest_info_sync (machine, &info, NULL, error);
  return info;
}

/* What the guest agent says: host name, OS, addresses. */
static void
test_guest_agent (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *plain_xml = hangar_test_guest_xml ("agentless", NULL);
  g_autoptr(HangarDBusMachine1) plain = hangar_test_define (fixture, plain_xml);
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GVariant) info = NULL;
  g_autoptr(GVariant) interfaces = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *printed = NULL, *out = NULL, *err = NULL;
  const char *text = NULL;
  gint64 deadline;
  int serial;

  /* Not running; running without the channel. */
  g_assert_null (guest_info (plain, &error));
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE);
  g_clear_error (&error);
  hangar_test_start_and_wait_ready (fixture, plain);
  g_assert_null (guest_info (plain, &error));
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  hangar_dbus_machine1_call_force_off_sync (plain, NULL, &error);
  g_assert_no_error (error);

  machine = start_guest (fixture, "agent",
                         "<channel type='unix'><target type='virtio' "
                         "name='org.qemu.guest_agent.0'/></channel>"
                         "<interface type='user'><mac address='52:54:00:00:a9:01'/>"
                         "<model type='virtio'/></interface>", &serial);
  guest_expect (serial, "ip addr add 10.0.2.15/24 dev eth0; ip link set eth0 up; echo net=ok",
                "net=ok");

  /* The agent starts after the virtio drivers: ask until it answers. */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while ((info = guest_info (machine, &error)) == NULL)
    {
      g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED);
      if (g_get_monotonic_time () > deadline)
        g_error ("The guest agent never answered: %s", error->message);
      g_clear_error (&error);
      g_usleep (200000);
    }
  printed = g_variant_print (info, TRUE);
  g_test_message ("guest info: %s", printed);
  g_assert_true (g_variant_lookup (info, "hostname", "&s", &text));
  g_assert_cmpstr (text, ==, "hangar-guest");
  g_assert_true (g_variant_lookup (info, "os-name", "&s", &text));
  g_assert_cmpstr (text, ==, "Hangar tiny test guest");
  g_assert_true (g_variant_lookup (info, "kernel-release", "&s", &text));
  interfaces = g_variant_lookup_value (info, "interfaces", G_VARIANT_TYPE ("a(sas)"));
  g_assert_nonnull (interfaces);
  g_assert_nonnull (strstr (printed, "'lo', ['127.0.0.1/8'"));
  g_assert_nonnull (strstr (printed, "10.0.2.15/24"));

  g_assert_cmpint (hangar_test_run_ctl (fixture, &out, &err, "guestinfo", "agent", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "hangar-guest"));
  g_assert_nonnull (strstr (out, "10.0.2.15/24"));
  close (serial);
}

/* A device plugged in before the engine restarted can be unplugged after it. */
static void
test_engine_restart (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *image = make_image (fixture, "kept.qcow2");
  g_autofree char *disk = g_strdup_printf ("<disk type='file' device='disk'>"
                                           "<driver name='qemu' type='qcow2'/>"
                                           "<source file='%s'/><target dev='vdc' bus='virtio'/>"
                                           "</disk>", image);
  g_autoptr(HangarDBusMachine1) machine = NULL;
  int serial;

  machine = start_guest (fixture, "survivor", NULL, &serial);
  change_ok (machine, ATTACH, disk, "Disk vdc added", "");
  g_assert_true (qemu_has_open (machine, image));
  close (serial);

  hangar_test_engine_stop (fixture, SIGKILL);
  g_clear_object (&machine);
  hangar_test_engine_start (fixture);
  machine = hangar_test_lookup (fixture, "survivor");
  hangar_test_wait_state (machine, "running", 10);
  wait_pending (machine, "");
  g_assert_cmpstr (hangar_dbus_machine1_get_accelerator (machine), ==, "tcg");

  change_ok (machine, DETACH, "<disk><target dev='vdc'/></disk>", "Disk vdc removed", "");
  wait_open (machine, image, FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/live/stopped", Fixture, NULL, setup, test_stopped, teardown);
  g_test_add ("/live/refused", Fixture, NULL, setup, test_refused, teardown);
  g_test_add ("/live/hotplug", Fixture, NULL, setup, test_hotplug, teardown);
  g_test_add ("/live/media", Fixture, NULL, setup, test_media, teardown);
  g_test_add ("/live/pending", Fixture, NULL, setup, test_pending, teardown);
  g_test_add ("/live/vcpus", Fixture, NULL, setup, test_vcpus, teardown);
  g_test_add ("/live/guest-agent", Fixture, NULL, setup, test_guest_agent, teardown);
  g_test_add ("/live/engine-restart", Fixture, NULL, setup, test_engine_restart, teardown);
  return g_test_run ();
}
