/* test-statistics.c: the engine's statistics on running tiny guests
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A guest that burns a vCPU reads far above an idle one; writing to a virtio disk
 * moves its counters; counters never go back across a pause; the engine asks QEMU
 * nothing while nobody is subscribed; the history holds what was sampled.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <errno.h>
#include <gio/gunixfdlist.h>
#include <math.h>
#include <poll.h>
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

/* The last Statistics signal, kept by on_statistics. */
typedef struct
{
  guint     count;
  GVariant *host;
  GVariant *samples;
} Received;

static void
on_statistics (HangarDBusHost1 *host,
               gint64           timestamp,
               GVariant        *host_values,
               GVariant        *samples,
               Received        *received)
{
  received->count++;
  g_clear_pointer (&received->host, g_variant_unref);
  g_clear_pointer (&received->samples, g_variant_unref);
  received->host = g_variant_ref (host_values);
  received->samples = g_variant_ref (samples);
}

static void
received_clear (Received *received)
{
  g_clear_pointer (&received->host, g_variant_unref);
  g_clear_pointer (&received->samples, g_variant_unref);
}

/* Waits for @n more signals. */
static void
wait_signals (Received *received,
              guint     n)
{
  guint until = received->count + n;
  gint64 deadline = g_get_monotonic_time () + (n + 10) * G_USEC_PER_SEC;

  while (received->count < until)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Only %u of %u Statistics signals came", received->count - (until - n), n);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The values of @uuid in the last signal, or NULL. */
static GVariant *
sample_of (Received   *received,
           const char *uuid)
{
  GVariantIter iter;
  const char *id;
  GVariant *values;

  if (received->samples == NULL)
    return NULL;
  g_variant_iter_init (&iter, received->samples);
  while (g_variant_iter_next (&iter, "(&s@a{sv})", &id, &values))
    {
      if (g_str_equal (id, uuid))
        return values;
      g_variant_unref (values);
    }
  return NULL;
}

static double
cpu_of (Received   *received,
        const char *uuid)
{
  g_autoptr(GVariant) values = sample_of (received, uuid);
  double cpu = NAN;

  if (values != NULL)
    g_variant_lookup (values, "cpu", "d", &cpu);
  return cpu;
}

/* The written bytes of @target in the last signal, or G_MAXUINT64. */
static guint64
disk_written (Received   *received,
              const char *uuid,
              const char *target)
{
  g_autoptr(GVariant) values = sample_of (received, uuid);
  g_autoptr(GVariantIter) disks = NULL;
  const char *name;
  guint64 read, written, reads, writes;

  if (values == NULL || !g_variant_lookup (values, "disks", "a(stttt)", &disks))
    return G_MAXUINT64;
  while (g_variant_iter_next (disks, "(&stttt)", &name, &read, &written, &reads, &writes))
    if (g_str_equal (name, target))
      return written;
  return G_MAXUINT64;
}

static HangarDBusMachine1 *
start (Fixture    *fixture,
       const char *name,
       gboolean    burn,
       const char *devices)
{
  g_autofree char *xml = hangar_test_guest_xml (name, devices);
  HangarDBusMachine1 *machine;

  if (burn)
    {
      g_autofree char *plain = g_steal_pointer (&xml);
      g_auto(GStrv) parts = g_strsplit (plain, "panic=-1", 2);

      xml = g_strjoinv ("panic=-1 hangar.burn", parts);
    }
  machine = hangar_test_define (fixture, xml);
  hangar_test_start_and_wait_ready (fixture, machine);
  return machine;
}

static void
subscribe (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  hangar_dbus_host1_call_subscribe_statistics_sync (fixture->host, NULL, &error);
  g_assert_no_error (error);
}

/* A busy guest's vCPU reads far above an idle guest's, and the host sees them. */
static void
test_busy_and_idle (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(HangarDBusMachine1) busy = start (fixture, "busy", TRUE, NULL);
  g_autoptr(HangarDBusMachine1) idle = start (fixture, "idle", FALSE, NULL);
  const char *busy_id = hangar_dbus_machine1_get_uuid (busy);
  const char *idle_id = hangar_dbus_machine1_get_uuid (idle);
  Received received = { 0 };
  double busy_cpu = 0, idle_cpu = 0, host_cpu = NAN, machines_cpu = NAN;
  gulong handler;

  handler = g_signal_connect (fixture->host, "statistics", G_CALLBACK (on_statistics), &received);
  subscribe (fixture);
  /* The first samples of a new QEMU have nothing to compare with; take the next few. */
  wait_signals (&received, 3);
  for (int i = 0; i < 3; i++)
    {
      wait_signals (&received, 1);
      busy_cpu += cpu_of (&received, busy_id) / 3;
      idle_cpu += cpu_of (&received, idle_id) / 3;
    }
  g_variant_lookup (received.host, "cpu", "d", &host_cpu);
  g_variant_lookup (received.host, "machines-cpu", "d", &machines_cpu);
  g_test_message ("busy %.1f %%, idle %.1f %%, host %.1f %%, all machines %.1f %%",
                  busy_cpu, idle_cpu, host_cpu, machines_cpu);
  /* On a loaded machine the busy guest gets less than a core: compare, do not time. */
  g_assert_cmpfloat (busy_cpu, >, 20.0);
  g_assert_cmpfloat (busy_cpu, >, 3 * idle_cpu);
  g_assert_cmpfloat (host_cpu, >, 0.0);
  g_assert_cmpfloat (machines_cpu, >=, busy_cpu * 0.8);
  {
    g_autoptr(GVariant) values = sample_of (&received, busy_id);
    double overhead = NAN;
    guint64 rss = 0;

    g_assert_true (g_variant_lookup (values, "cpu-overhead", "d", &overhead));
    g_assert_true (g_variant_lookup (values, "memory-rss", "t", &rss));
    g_assert_cmpfloat (overhead, >=, 0.0);
    g_assert_cmpuint (rss, >, 16 * 1024 * 1024);
    /* No NIC: nothing about NICs said. No balloon: no guest memory. */
    g_assert_false (g_variant_lookup (values, "memory-guest", "t", &rss));
  }
  g_signal_handler_disconnect (fixture->host, handler);
  received_clear (&received);
}

/* Types a line into the guest's serial shell now and then until @marker comes back. */
static void
guest_run (int         fd,
           const char *command,
           const char *marker)
{
  g_autofree char *line = g_strdup_printf ("%s; echo \"%.2s\"\"%s\"\n", command, marker,
                                           marker + 2);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  g_autoptr(GString) seen = g_string_new (NULL);
  gint64 next = 0;

  while (g_get_monotonic_time () < deadline)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      char buffer[512];

      if (g_get_monotonic_time () >= next && strstr (seen->str, "#") != NULL)
        {
          g_assert_cmpint (write (fd, line, strlen (line)), ==, (gssize) strlen (line));
          next = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
        }
      else if (g_get_monotonic_time () >= next)
        {
          g_assert_cmpint (write (fd, "\n", 1), ==, 1);
          next = g_get_monotonic_time () + G_USEC_PER_SEC;
        }
      if (poll (&pfd, 1, 100) == 1)
        {
          ssize_t n = read (fd, buffer, sizeof buffer);
          if (n <= 0)
            g_error ("The serial console ended: %s", n == 0 ? "end of stream" : g_strerror (errno));
          g_string_append_len (seen, buffer, n);
          if (strstr (seen->str, marker) != NULL)
            return;
        }
    }
  g_error ("The guest never printed %s; it printed: %s", marker, seen->str);
}

/* Writing to the virtio disk moves its counters; a pause never sends them back. */
static void
test_disk_counters (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *image = g_build_filename (fixture->data_dir, "counted.img", NULL);
  g_autofree char *devices = NULL;
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  Received received = { 0 };
  const char *uuid;
  guint64 before, after, paused;
  gulong handler;
  int serial;

  {
    const char *argv[] = { "qemu-img", "create", "-q", "-f", "raw", image, "32M", NULL };
    int status = 0;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                  &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  devices = g_strdup_printf ("<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
                             "<source file='%s'/><target dev='vda' bus='virtio'/></disk>"
                             "<memballoon model='virtio'/>", image);
  machine = start (fixture, "writer", FALSE, devices);
  uuid = hangar_dbus_machine1_get_uuid (machine);
  serial = hangar_test_open_console (machine, "serial");
  guest_run (serial, "while [ ! -e /run/optional-modules-done ]; do sleep 0.1; done",
             "MODULES-LOADED");

  handler = g_signal_connect (fixture->host, "statistics", G_CALLBACK (on_statistics), &received);
  subscribe (fixture);
  do
    {
      wait_signals (&received, 1);
      before = disk_written (&received, uuid, "vda");
    }
  while (before == G_MAXUINT64);
  {
    g_autoptr(GVariant) values = sample_of (&received, uuid);
    guint64 guest = 0;

    g_assert_true (g_variant_lookup (values, "memory-guest", "t", &guest));
    g_assert_cmpuint (guest, ==, 128 * 1024 * 1024);
  }

  guest_run (serial, "dd if=/dev/zero of=/dev/vda bs=65536 count=128 conv=fsync 2>/dev/null",
             "DD-DONE");
  /* The counters catch up within a few samples (a busy host delays replies). */
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    do
      {
        wait_signals (&received, 1);
        after = disk_written (&received, uuid, "vda");
        if (after == G_MAXUINT64)
          after = 0; /* that sample's reply came too late */
      }
    while (after < before + 128 * 65536 && g_get_monotonic_time () < deadline);
  }
  g_test_message ("vda written: %" G_GUINT64_FORMAT " → %" G_GUINT64_FORMAT, before, after);
  g_assert_cmpuint (after, >=, before + 128 * 65536);

  hangar_dbus_machine1_call_pause_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "paused", 5);
  do
    {
      wait_signals (&received, 1);
      paused = disk_written (&received, uuid, "vda");
    }
  while (paused == G_MAXUINT64);
  g_assert_cmpuint (paused, >=, after);
  hangar_dbus_machine1_call_resume_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "running", 5);
  {
    guint64 resumed;

    do
      {
        wait_signals (&received, 1);
        resumed = disk_written (&received, uuid, "vda");
      }
    while (resumed == G_MAXUINT64);
    g_assert_cmpuint (resumed, >=, paused);
  }

  /* The history has the write rate: at least one sample over 0. */
  {
    const char *uuids[] = { uuid, NULL };
    g_autoptr(GVariant) history = NULL;
    g_autoptr(GVariant) columns = NULL;
    g_autoptr(GVariant) writes = NULL;
    const double *rates;
    gsize n = 0;
    double top = 0;

    hangar_dbus_host1_call_get_statistics_history_sync (fixture->host, uuids, 0, &history, NULL,
                                                        &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_variant_n_children (history), ==, 1);
    g_variant_get_child (history, 0, "(&s@a{sv})", NULL, &columns);
    writes = g_variant_lookup_value (columns, "disk-write", G_VARIANT_TYPE ("ad"));
    rates = g_variant_get_fixed_array (writes, &n, sizeof (double));
    for (gsize i = 0; i < n; i++)
      if (!isnan (rates[i]))
        top = MAX (top, rates[i]);
    g_test_message ("top write rate in the history: %.0f B/s over %" G_GSIZE_FORMAT " samples",
                    top, n);
    g_assert_cmpfloat (top, >, 0);
  }
  close (serial);
  g_signal_handler_disconnect (fixture->host, handler);
  received_clear (&received);
}

/* Nobody subscribed: no signal, and QEMU is asked nothing (no disk rates in the
 * history), but CPU and memory are kept. */
static void
test_unsubscribed (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(HangarDBusMachine1) machine = start (fixture, "quiet", FALSE, NULL);
  const char *uuids[] = { hangar_dbus_machine1_get_uuid (machine), "", NULL };
  g_autoptr(GVariant) history = NULL;
  g_autoptr(GError) error = NULL;
  Received received = { 0 };
  gulong handler;
  gint64 until = g_get_monotonic_time () + 4 * G_USEC_PER_SEC;

  handler = g_signal_connect (fixture->host, "statistics", G_CALLBACK (on_statistics), &received);
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  g_assert_cmpuint (received.count, ==, 0);

  hangar_dbus_host1_call_get_statistics_history_sync (fixture->host, uuids, 0, &history, NULL,
                                                      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (history), ==, 2);
  {
    g_autoptr(GVariant) columns = NULL;
    g_autoptr(GVariant) cpu = NULL, disk = NULL;
    const double *values;
    gsize n = 0;

    g_variant_get_child (history, 0, "(&s@a{sv})", NULL, &columns);
    cpu = g_variant_lookup_value (columns, "cpu", G_VARIANT_TYPE ("ad"));
    disk = g_variant_lookup_value (columns, "disk-read", G_VARIANT_TYPE ("ad"));
    values = g_variant_get_fixed_array (cpu, &n, sizeof (double));
    g_assert_cmpuint (n, >=, 2);
    g_assert_false (isnan (values[n - 1]));
    values = g_variant_get_fixed_array (disk, &n, sizeof (double));
    for (gsize i = 0; i < n; i++)
      g_assert_true (isnan (values[i]));
  }

  /* Subscribed, then gone: signals come, then stop. */
  subscribe (fixture);
  wait_signals (&received, 1);
  hangar_dbus_host1_call_unsubscribe_statistics_sync (fixture->host, NULL, &error);
  g_assert_no_error (error);
  {
    guint count;

    while (g_main_context_iteration (NULL, FALSE))
      ;
    count = received.count;
    until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE), g_usleep (10000);
    g_assert_cmpuint (received.count, <=, count + 1);
  }
  g_signal_handler_disconnect (fixture->host, handler);
  received_clear (&received);
}

/* NIC counters come from the guest agent; without one the sample says why. */
static void
test_nics (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(HangarDBusMachine1) agent = start (fixture, "counted-nic", FALSE,
                                               "<channel type='unix'><target type='virtio' "
                                               "name='org.qemu.guest_agent.0'/></channel>"
                                               "<interface type='user'>"
                                               "<mac address='52:54:00:00:b7:01'/></interface>");
  g_autoptr(HangarDBusMachine1) plain = start (fixture, "agentless-nic", FALSE,
                                               "<interface type='user'>"
                                               "<mac address='52:54:00:00:b7:02'/></interface>");
  Received received = { 0 };
  gint64 deadline;
  gboolean counted = FALSE;
  gulong handler;
  int serial = hangar_test_open_console (agent, "serial");

  /* The agent tells a NIC's counters once it is up, as a guest's NICs are. */
  guest_run (serial, "while [ ! -e /run/optional-modules-done ]; do sleep 0.1; done; "
             "ip addr add 10.0.2.15/24 dev eth0; ip link set eth0 up", "ETH0-UP");
  close (serial);
  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  handler = g_signal_connect (fixture->host, "statistics", G_CALLBACK (on_statistics), &received);
  subscribe (fixture);
  while (!counted)
    {
      g_autoptr(GVariant) values = NULL;
      g_autoptr(GVariant) plain_values = NULL;
      g_autoptr(GVariantIter) nics = NULL;
      const char *why = NULL, *mac;
      guint64 rx, tx;

      if (g_get_monotonic_time () > deadline)
        {
          g_autoptr(GVariant) info = NULL;
          g_autofree char *text = NULL;

          hangar_dbus_machine1_call_get_guest_info_sync (agent, &info, NULL, NULL);
          text = info ? g_variant_print (info, FALSE) : g_strdup ("(none)");
          g_error ("No NIC counters came from the guest agent; it says %s", text);
        }
      wait_signals (&received, 1);
      plain_values = sample_of (&received, hangar_dbus_machine1_get_uuid (plain));
      if (plain_values != NULL)
        {
          g_assert_true (g_variant_lookup (plain_values, "nics-unavailable", "&s", &why));
          g_assert_cmpstr (why, ==, "no guest agent channel");
        }
      values = sample_of (&received, hangar_dbus_machine1_get_uuid (agent));
      if (values == NULL || !g_variant_lookup (values, "nics", "a(stt)", &nics))
        continue;
      while (g_variant_iter_next (nics, "(&stt)", &mac, &rx, &tx))
        if (g_str_equal (mac, "52:54:00:00:b7:01"))
          counted = TRUE;
    }
  g_signal_handler_disconnect (fixture->host, handler);
  received_clear (&received);
}

/* The interval is bounded: 0.5 s to 60 s. */
static void
test_interval (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  hangar_dbus_host1_call_set_statistics_interval_sync (fixture->host, 100, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  hangar_dbus_host1_call_set_statistics_interval_sync (fixture->host, 120000, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  hangar_dbus_host1_call_set_statistics_interval_sync (fixture->host, 500, NULL, &error);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/statistics/busy-and-idle", Fixture, NULL, setup, test_busy_and_idle, teardown);
  g_test_add ("/statistics/disk-counters", Fixture, NULL, setup, test_disk_counters, teardown);
  g_test_add ("/statistics/unsubscribed", Fixture, NULL, setup, test_unsubscribed, teardown);
  g_test_add ("/statistics/nics", Fixture, NULL, setup, test_nics, teardown);
  g_test_add ("/statistics/interval", Fixture, NULL, setup, test_interval, teardown);
  return g_test_run ();
}
