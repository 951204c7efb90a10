/* hangar-machine-history.c: a machine's recent CPU and memory figures
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The model behind a row's sparkline and the Performance page: the last
 * HANGAR_MACHINE_HISTORY_LENGTH CPU samples, oldest first, and the latest memory
 * figure. HangarConnection feeds it from the engine's batched Host1.Statistics
 * signal; widgets only read it and redraw on ::changed. One history per machine
 * proxy (hangar_machine_history_get_for()), so every view of a machine shares it;
 * it empties when the machine stops running.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hangar-machine-history.h"

struct _HangarMachineHistory
{
  GObject  parent_instance;

  double   cpu[HANGAR_MACHINE_HISTORY_LENGTH];
  guint    n_samples;
  gint64   last_timestamp;
  guint64  memory_rss;
};

G_DEFINE_FINAL_TYPE (HangarMachineHistory, hangar_machine_history, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CPU,
  PROP_MEMORY_RSS,
  PROP_N_SAMPLES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
notify_all (HangarMachineHistory *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CPU]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_RSS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SAMPLES]);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
hangar_machine_history_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  HangarMachineHistory *self = HANGAR_MACHINE_HISTORY (object);

  switch (prop_id)
    {
    case PROP_CPU:
      g_value_set_double (value, hangar_machine_history_get_cpu (self));
      break;

    case PROP_MEMORY_RSS:
      g_value_set_uint64 (value, self->memory_rss);
      break;

    case PROP_N_SAMPLES:
      g_value_set_uint (value, self->n_samples);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_machine_history_class_init (HangarMachineHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hangar_machine_history_get_property;

  /**
   * HangarMachineHistory:cpu:
   *
   * The latest CPU use in percent of one host CPU; -1 when there is none.
   */
  properties[PROP_CPU] =
    g_param_spec_double ("cpu", NULL, NULL,
                         -1, G_MAXDOUBLE, -1,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MEMORY_RSS] =
    g_param_spec_uint64 ("memory-rss", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_N_SAMPLES] =
    g_param_spec_uint ("n-samples", NULL, NULL,
                       0, HANGAR_MACHINE_HISTORY_LENGTH, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HangarMachineHistory::changed:
   *
   * A sample came, or the history emptied.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
hangar_machine_history_init (HangarMachineHistory *self)
{
}

HangarMachineHistory *
hangar_machine_history_new (void)
{
  return g_object_new (HANGAR_TYPE_MACHINE_HISTORY, NULL);
}

static void
on_machine_state_changed (HangarDBusMachine1   *machine,
                          GParamSpec           *pspec,
                          HangarMachineHistory *self)
{
  const char *state = hangar_dbus_machine1_get_state (machine);

  /* A paused machine keeps its graph; one that stopped has no figures. */
  if (g_strcmp0 (state, "running") != 0 && g_strcmp0 (state, "paused") != 0)
    hangar_machine_history_clear (self);
}

/**
 * hangar_machine_history_get_for:
 *
 * Returns: (transfer none): @machine's history, made on the first call
 */
HangarMachineHistory *
hangar_machine_history_get_for (HangarDBusMachine1 *machine)
{
  static GQuark quark;
  HangarMachineHistory *history;

  g_return_val_if_fail (HANGAR_DBUS_IS_MACHINE1 (machine), NULL);

  if (quark == 0)
    quark = g_quark_from_static_string ("hangar-machine-history");

  history = g_object_get_qdata (G_OBJECT (machine), quark);
  if (history == NULL)
    {
      history = hangar_machine_history_new ();
      g_object_set_qdata_full (G_OBJECT (machine), quark, history, g_object_unref);
      g_signal_connect_object (machine, "notify::state",
                               G_CALLBACK (on_machine_state_changed), history, 0);
    }
  return history;
}

/**
 * hangar_machine_history_add:
 * @timestamp_us: when the sample was taken; a sample older than the last is ignored
 * @cpu: percent of one host CPU
 * @memory_rss: resident memory of the machine's QEMU, in bytes
 */
void
hangar_machine_history_add (HangarMachineHistory *self,
                            gint64                timestamp_us,
                            double                cpu,
                            guint64               memory_rss)
{
  g_return_if_fail (HANGAR_IS_MACHINE_HISTORY (self));

  if (timestamp_us != 0 && timestamp_us < self->last_timestamp)
    return;
  self->last_timestamp = timestamp_us;

  if (cpu < 0 || isnan (cpu))
    cpu = 0;
  if (self->n_samples == HANGAR_MACHINE_HISTORY_LENGTH)
    {
      memmove (self->cpu, self->cpu + 1, (HANGAR_MACHINE_HISTORY_LENGTH - 1) * sizeof (double));
      self->n_samples--;
    }
  self->cpu[self->n_samples++] = cpu;
  self->memory_rss = memory_rss;

  notify_all (self);
}

void
hangar_machine_history_clear (HangarMachineHistory *self)
{
  g_return_if_fail (HANGAR_IS_MACHINE_HISTORY (self));

  if (self->n_samples == 0 && self->memory_rss == 0)
    return;
  self->n_samples = 0;
  self->memory_rss = 0;
  self->last_timestamp = 0;
  notify_all (self);
}

double
hangar_machine_history_get_cpu (HangarMachineHistory *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE_HISTORY (self), -1);

  return self->n_samples > 0 ? self->cpu[self->n_samples - 1] : -1;
}

guint64
hangar_machine_history_get_memory_rss (HangarMachineHistory *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE_HISTORY (self), 0);

  return self->memory_rss;
}

/**
 * hangar_machine_history_get_cpu_samples:
 * @n_samples: (out): how many there are
 *
 * Returns: (transfer none) (array length=n_samples): the CPU samples, oldest first
 */
const double *
hangar_machine_history_get_cpu_samples (HangarMachineHistory *self,
                                        guint                *n_samples)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE_HISTORY (self), NULL);

  *n_samples = self->n_samples;
  return self->cpu;
}
