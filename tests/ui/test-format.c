/* test-format.c: how machines and connections read to a person
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The pure functions of ui/hangar-format.c, which the templates call from <closure>.
 * No display: nothing here initialises GTK.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <locale.h>
#include <math.h>

#include "hangar-format.h"
#include "hangar-graph.h"

/* U+00B7 MIDDLE DOT, between a machine's CPUs and its memory. */
#define DOT "\xc2\xb7"

#define KIB G_GUINT64_CONSTANT (1)
#define MIB G_GUINT64_CONSTANT (1024)
#define GIB G_GUINT64_CONSTANT (1024 * 1024)
#define TIB G_GUINT64_CONSTANT (1024 * 1024 * 1024)

static void
assert_formatted (char       *formatted,
                  const char *expected)
{
  g_autofree char *owned = formatted;

  g_assert_cmpstr (owned, ==, expected);
}

static void
test_machine_state (void)
{
  static const struct { const char *state; const char *words; } cases[] = {
    { "shut-off", "Shut Off" },
    { "starting", "Starting" },
    { "running", "Running" },
    { "paused", "Paused" },
    { "shutting-down", "Shutting Down" },
    { "crashed", "Crashed" },
    /* What a newer engine might say, and nothing at all. */
    { "hibernating", "Unknown" },
    { "", "Unknown" },
    { "Running", "Unknown" },
    { NULL, "Unknown" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_formatted (hangar_format_machine_state (NULL, cases[i].state), cases[i].words);
}

static void
test_state_classes (void)
{
  static const struct { const char *state; const char *colour; } cases[] = {
    { "shut-off", "dim-label" },
    { "starting", "accent" },
    { "running", "success" },
    { "paused", "warning" },
    { "shutting-down", "accent" },
    { "crashed", "error" },
    { "hibernating", "dim-label" },
    { NULL, "dim-label" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) classes = hangar_format_state_classes (NULL, cases[i].state);
      const char * const expected[] = { "machine-state", cases[i].colour, NULL };

      g_assert_nonnull (classes);
      g_assert_true (g_strv_equal ((const char * const *) classes, expected));
    }
}

static void
test_memory (void)
{
  static const struct { guint64 kib; const char *text; } cases[] = {
    { 0, "0 KiB" },
    { 1, "1 KiB" },
    { 1023, "1023 KiB" },
    { 1 * MIB, "1 MiB" },
    { 1 * MIB + 1, "1 MiB" },
    { 1536, "1.5 MiB" },
    { 128 * MIB, "128 MiB" },
    { 512 * MIB, "512 MiB" },
    /* Just short of a unit: rounded, not "1024.0 MiB" or "2.0 GiB". */
    { GIB - 1, "1024 MiB" },
    { GIB, "1 GiB" },
    { GIB + GIB / 2, "1.5 GiB" },
    { GIB + GIB / 10, "1.1 GiB" },
    /* A tenth is the finest step: 1.049 GiB is 1 GiB. */
    { GIB + GIB / 20, "1 GiB" },
    { 2 * GIB - 1, "2 GiB" },
    /* <memory unit='GB'>2</memory>: decimal units read in binary ones. */
    { 1953125, "1.9 GiB" },
    { 8 * GIB, "8 GiB" },
    /* The engine's limit, and far beyond anything a machine gets. */
    { TIB, "1024 GiB" },
    { G_GUINT64_CONSTANT (1) << 52, "4294967296 GiB" },
    { G_MAXUINT64, "17592186044416 GiB" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_formatted (hangar_format_memory (NULL, cases[i].kib), cases[i].text);
}

static void
test_resources (void)
{
  /* The exact words and separator: no double spaces, a middle dot, singular for one. */
  assert_formatted (hangar_format_resources (NULL, 1, 128 * MIB), "1 CPU " DOT " 128 MiB");
  assert_formatted (hangar_format_resources (NULL, 4, 8 * GIB), "4 CPUs " DOT " 8 GiB");
  assert_formatted (hangar_format_resources (NULL, 2, GIB + GIB / 2), "2 CPUs " DOT " 1.5 GiB");
  assert_formatted (hangar_format_resources (NULL, 0, 0), "0 CPUs " DOT " 0 KiB");
  assert_formatted (hangar_format_resources (NULL, G_MAXUINT, TIB),
                    "4294967295 CPUs " DOT " 1024 GiB");
}

static void
test_machine_title (void)
{
  /* Without a title the name is the title, and there is no subtitle. */
  assert_formatted (hangar_format_machine_title (NULL, "web-01", NULL), "web-01");
  assert_formatted (hangar_format_machine_subtitle (NULL, "web-01", NULL), "");
  assert_formatted (hangar_format_machine_title (NULL, "web-01", ""), "web-01");
  assert_formatted (hangar_format_machine_subtitle (NULL, "web-01", ""), "");

  /* With one, the name stands under it. */
  assert_formatted (hangar_format_machine_title (NULL, "build-box", "Build & Test"),
                    "Build & Test");
  assert_formatted (hangar_format_machine_subtitle (NULL, "build-box", "Build & Test"),
                    "build-box");

  /* A title that repeats the name says it once. */
  assert_formatted (hangar_format_machine_title (NULL, "router", "router"), "router");
  assert_formatted (hangar_format_machine_subtitle (NULL, "router", "router"), "");

  /* A proxy whose properties have not arrived yet. */
  assert_formatted (hangar_format_machine_title (NULL, NULL, NULL), "");
  assert_formatted (hangar_format_machine_subtitle (NULL, NULL, NULL), "");
  assert_formatted (hangar_format_machine_title (NULL, NULL, "Only a Title"), "Only a Title");
  assert_formatted (hangar_format_machine_subtitle (NULL, NULL, "Only a Title"), "");
}

static void
test_os_name (void)
{
  g_autofree char *debian = hangar_format_os_name (NULL, "Debian 11");
  g_autofree char *markup = hangar_format_os_name (NULL, "Fedora <Rawhide> & co");
  g_autofree char *none = hangar_format_os_name (NULL, "");
  g_autofree char *null = hangar_format_os_name (NULL, NULL);

  /* A row's subtitle is markup. */
  g_assert_cmpstr (debian, ==, "Debian 11");
  g_assert_cmpstr (markup, ==, "Fedora &lt;Rawhide&gt; &amp; co");
  g_assert_cmpstr (none, ==, "Unknown");
  g_assert_cmpstr (null, ==, "Unknown");
}

static void
test_has_text (void)
{
  g_assert_false (hangar_format_has_text (NULL, NULL));
  g_assert_false (hangar_format_has_text (NULL, ""));
  g_assert_true (hangar_format_has_text (NULL, " "));
  g_assert_true (hangar_format_has_text (NULL, "build-box"));
}

static void
test_escape_markup (void)
{
  assert_formatted (hangar_format_escape_markup (NULL, "<b>&"), "&lt;b&gt;&amp;");
  assert_formatted (hangar_format_escape_markup (NULL, "“Bob's\" <i>box</i>”"),
                    "“Bob&apos;s&quot; &lt;i&gt;box&lt;/i&gt;”");
  assert_formatted (hangar_format_escape_markup (NULL, "The engine has stopped."),
                    "The engine has stopped.");
  assert_formatted (hangar_format_escape_markup (NULL, ""), "");
  assert_formatted (hangar_format_escape_markup (NULL, NULL), "");
}

static void
test_window_page (void)
{
  static const struct {
    HangarConnectionStatus status;
    guint n_machines;
    const char *page;
  } cases[] = {
    { HANGAR_CONNECTION_STATUS_IDLE, 0, "connecting" },
    { HANGAR_CONNECTION_STATUS_IDLE, 3, "connecting" },
    { HANGAR_CONNECTION_STATUS_CONNECTING, 0, "connecting" },
    { HANGAR_CONNECTION_STATUS_CONNECTING, 3, "connecting" },
    { HANGAR_CONNECTION_STATUS_CONNECTED, 0, "empty" },
    { HANGAR_CONNECTION_STATUS_CONNECTED, 1, "machines" },
    { HANGAR_CONNECTION_STATUS_CONNECTED, G_MAXUINT, "machines" },
    /* A failure wins even while the list still holds machines. */
    { HANGAR_CONNECTION_STATUS_FAILED, 0, "error" },
    { HANGAR_CONNECTION_STATUS_FAILED, 3, "error" },
    { HANGAR_CONNECTION_STATUS_DISCONNECTED, 0, "disconnected" },
    { HANGAR_CONNECTION_STATUS_DISCONNECTED, 3, "disconnected" },
    /* A status this build does not know: wait, as while connecting. */
    { (HangarConnectionStatus) 42, 3, "connecting" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_formatted (hangar_format_window_page (NULL, cases[i].status, cases[i].n_machines),
                      cases[i].page);
}

static void
test_state_reason (void)
{
  static const struct {
    const char *state;
    const char *reason;
    const char *last_error;
    const char *why;
    const char *with_reason;
  } cases[] = {
    { "shut-off", "shutdown", "", "The guest powered off", "Shut Off — The guest powered off" },
    { "shut-off", "destroyed", "", "Forced off", "Shut Off — Forced off" },
    { "shut-off", "user", "", "", "Shut Off" },
    { "shut-off", "unknown", NULL, "", "Shut Off" },
    { "shut-off", "failed", "\nThe disk image “/x.img” does not exist.\nmore\n",
      "The disk image “/x.img” does not exist.",
      "Shut Off — The disk image “/x.img” does not exist." },
    { "shut-off", "failed", "", "It could not start", "Shut Off — It could not start" },
    { "crashed", "crashed", "QEMU was killed by signal 9  \nqemu: terminating",
      "QEMU was killed by signal 9", "Crashed — QEMU was killed by signal 9" },
    { "crashed", "crashed", "", "QEMU ended unexpectedly", "Crashed — QEMU ended unexpectedly" },
    { "running", "booted", "", "", "Running" },
    { "running", "autostart", "", "Started at login", "Running — Started at login" },
    { "paused", "user", "", "", "Paused" },
    { "paused", "io-error", "", "Paused after a disk error", "Paused — Paused after a disk error" },
    { NULL, NULL, NULL, "", "Unknown" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      assert_formatted (hangar_format_state_reason (NULL, cases[i].state, cases[i].reason,
                                                    cases[i].last_error),
                        cases[i].why);
      assert_formatted (hangar_format_state_with_reason (NULL, cases[i].state, cases[i].reason,
                                                         cases[i].last_error),
                        cases[i].with_reason);
    }
}

static void
test_state_problem (void)
{
  assert_formatted (hangar_format_state_problem (NULL, "crashed", "crashed",
                                                 "QEMU was killed by signal 9\nmore"),
                    "QEMU was killed by signal 9");
  assert_formatted (hangar_format_state_problem (NULL, "shut-off", "failed", ""),
                    "It could not start");
  assert_formatted (hangar_format_state_problem (NULL, "paused", "io-error", ""),
                    "Paused after a disk error");
  assert_formatted (hangar_format_state_problem (NULL, "shut-off", "shutdown", ""), "");
  assert_formatted (hangar_format_state_problem (NULL, "shut-off", "destroyed", ""), "");
  assert_formatted (hangar_format_state_problem (NULL, "running", "autostart", ""), "");
  assert_formatted (hangar_format_state_problem (NULL, NULL, NULL, NULL), "");
}

static void
test_cpu (void)
{
  assert_formatted (hangar_format_cpu (NULL, -1), "");
  assert_formatted (hangar_format_cpu (NULL, NAN), "");
  assert_formatted (hangar_format_cpu (NULL, 0), "0 %");
  assert_formatted (hangar_format_cpu (NULL, 12.4), "12 %");
  assert_formatted (hangar_format_cpu (NULL, 99.6), "100 %");
  assert_formatted (hangar_format_cpu (NULL, 385), "385 %");
}

static void
test_statistic (void)
{
  assert_formatted (hangar_format_statistic (NULL, NAN, 0), "—");
  assert_formatted (hangar_format_statistic (NULL, 98.4, 0), "98 %");
  assert_formatted (hangar_format_statistic (NULL, 180.5 * 1024 * 1024, 1), "180.5 MiB");
  assert_formatted (hangar_format_statistic (NULL, 0, 2), "0 B/s");
  assert_formatted (hangar_format_statistic (NULL, 1000, 2), "1000 B/s");
  assert_formatted (hangar_format_statistic (NULL, 12 * 1024, 2), "12 KiB/s");
  assert_formatted (hangar_format_statistic (NULL, 1.25 * 1024 * 1024, 2), "1.3 MiB/s");
  assert_formatted (hangar_format_network_unavailable (NULL, NULL),
                    "Network use is not available.");
  assert_formatted (hangar_format_network_unavailable (NULL, ""),
                    "This machine has no network device.");
  assert_formatted (hangar_format_network_unavailable (NULL, "no guest agent channel"),
                    "Network use is not available (no guest agent channel): it is read from "
                    "the QEMU guest agent, which needs a guest agent channel and the agent "
                    "running in the guest.");
}

/* A graph's value axis: round steps, a top that reads in one unit. */
static void
test_graph_axis (void)
{
  double step = 0, top;

  top = hangar_graph_nice_top (37, HANGAR_GRAPH_UNIT_PERCENT, &step);
  g_assert_cmpfloat (top, ==, 100);
  g_assert_cmpfloat (step, ==, 50);
  top = hangar_graph_nice_top (130, HANGAR_GRAPH_UNIT_PERCENT, &step);
  g_assert_cmpfloat (top, ==, 150);
  g_assert_cmpfloat (step, ==, 50);

  /* Idle: at least 1 KiB, in halves. */
  top = hangar_graph_nice_top (0, HANGAR_GRAPH_UNIT_BYTES_PER_SECOND, &step);
  g_assert_cmpfloat (top, ==, 1024);
  g_assert_cmpfloat (step, ==, 512);
  assert_formatted (hangar_graph_format_tick (512, HANGAR_GRAPH_UNIT_BYTES_PER_SECOND, top),
                    "0.5 KiB/s");

  /* 228 MiB: 100 MiB steps to 300 MiB. */
  top = hangar_graph_nice_top (228.0 * 1024 * 1024, HANGAR_GRAPH_UNIT_BYTES, &step);
  g_assert_cmpfloat (top, ==, 300.0 * 1024 * 1024);
  g_assert_cmpfloat (step, ==, 100.0 * 1024 * 1024);
  assert_formatted (hangar_graph_format_tick (step * 2, HANGAR_GRAPH_UNIT_BYTES, top), "200 MiB");

  /* Just under 1 MiB rounds up past 1024 KiB: the top is redone in MiB. */
  top = hangar_graph_nice_top (1023.9 * 1024, HANGAR_GRAPH_UNIT_BYTES, &step);
  g_assert_cmpfloat (top, ==, 1.5 * 1024 * 1024);
  g_assert_cmpfloat (step, ==, 0.5 * 1024 * 1024);
  assert_formatted (hangar_graph_format_tick (top, HANGAR_GRAPH_UNIT_BYTES, top), "1.5 MiB");
  assert_formatted (hangar_graph_format_tick (0, HANGAR_GRAPH_UNIT_BYTES, top), "0");
  assert_formatted (hangar_graph_format_tick (50, HANGAR_GRAPH_UNIT_PERCENT, 100), "50 %");
}

static void
test_lines (void)
{
  assert_formatted (hangar_format_lines (NULL, NULL), "None");
  assert_formatted (hangar_format_lines (NULL, (const char *[]) { NULL }), "None");
  assert_formatted (hangar_format_lines (NULL, (const char *[]) { "/a.img", "/b c.qcow2", NULL }),
                    "/a.img\n/b c.qcow2");
}

/* The row's pending-changes mark: no text, no mark. */
static void
test_pending_changes (void)
{
  assert_formatted (hangar_format_pending_changes (NULL, NULL), "");
  assert_formatted (hangar_format_pending_changes (NULL, (const char *[]) { NULL }), "");
  assert_formatted (hangar_format_pending_changes (NULL, (const char *[]) {
                                                     "Processors: 1 to 2", "Video: vga to virtio",
                                                     NULL }),
                    "Applies after the next shutdown:\nProcessors: 1 to 2\nVideo: vga to virtio");
}

static void
test_connection_subtitle (void)
{
  assert_formatted (hangar_format_connection_subtitle (NULL, HANGAR_CONNECTION_STATUS_CONNECTED),
                    "");
  assert_formatted (hangar_format_connection_subtitle (NULL, HANGAR_CONNECTION_STATUS_FAILED),
                    "Disconnected");
  assert_formatted (hangar_format_connection_subtitle (NULL,
                                                       HANGAR_CONNECTION_STATUS_DISCONNECTED),
                    "Disconnected");
  assert_formatted (hangar_format_connection_subtitle (NULL, HANGAR_CONNECTION_STATUS_CONNECTING),
                    "Connecting…");
  assert_formatted (hangar_format_connection_subtitle (NULL, HANGAR_CONNECTION_STATUS_IDLE),
                    "Connecting…");
}

/* The spinner spins only while its page shows: a hidden one repaints forever. */
static void
test_is_connecting (void)
{
  g_assert_true (hangar_format_is_connecting (NULL, HANGAR_CONNECTION_STATUS_IDLE));
  g_assert_true (hangar_format_is_connecting (NULL, HANGAR_CONNECTION_STATUS_CONNECTING));
  g_assert_false (hangar_format_is_connecting (NULL, HANGAR_CONNECTION_STATUS_CONNECTED));
  g_assert_false (hangar_format_is_connecting (NULL, HANGAR_CONNECTION_STATUS_FAILED));
  g_assert_false (hangar_format_is_connecting (NULL, HANGAR_CONNECTION_STATUS_DISCONNECTED));
}

int
main (int   argc,
      char *argv[])
{
  /* The decimal point of "1.5 GiB" is the locale's: pin one. */
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/ui/format/machine-state", test_machine_state);
  g_test_add_func ("/hangar/ui/format/is-connecting", test_is_connecting);
  g_test_add_func ("/hangar/ui/format/state-classes", test_state_classes);
  g_test_add_func ("/hangar/ui/format/memory", test_memory);
  g_test_add_func ("/hangar/ui/format/resources", test_resources);
  g_test_add_func ("/hangar/ui/format/machine-title", test_machine_title);
  g_test_add_func ("/hangar/ui/format/has-text", test_has_text);
  g_test_add_func ("/hangar/ui/format/os-name", test_os_name);
  g_test_add_func ("/hangar/ui/format/escape-markup", test_escape_markup);
  g_test_add_func ("/hangar/ui/format/window-page", test_window_page);
  g_test_add_func ("/hangar/ui/format/state-reason", test_state_reason);
  g_test_add_func ("/hangar/ui/format/state-problem", test_state_problem);
  g_test_add_func ("/hangar/ui/format/cpu", test_cpu);
  g_test_add_func ("/hangar/ui/format/statistic", test_statistic);
  g_test_add_func ("/hangar/ui/format/graph-axis", test_graph_axis);
  g_test_add_func ("/hangar/ui/format/lines", test_lines);
  g_test_add_func ("/hangar/ui/format/pending-changes", test_pending_changes);
  g_test_add_func ("/hangar/ui/format/connection-subtitle", test_connection_subtitle);

  return g_test_run ();
}
