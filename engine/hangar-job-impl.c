/* hangar-job-impl.c: io.github.hangarvm.Hangar.Job1 for one HangarJob
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include "hangar-job-impl.h"

struct _HangarJobImpl
{
  HangarDBusJob1Skeleton parent_instance;

  HangarJob *job;
};

static void hangar_job_iface_init (HangarDBusJob1Iface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HangarJobImpl, hangar_job_impl, HANGAR_DBUS_TYPE_JOB1_SKELETON,
                               G_IMPLEMENT_INTERFACE (HANGAR_DBUS_TYPE_JOB1,
                                                      hangar_job_iface_init))

static void
sync_properties (HangarJobImpl *self)
{
  HangarDBusJob1 *iface = HANGAR_DBUS_JOB1 (self);

  hangar_dbus_job1_set_kind (iface, hangar_job_get_kind (self->job));
  hangar_dbus_job1_set_description (iface, hangar_job_get_description (self->job));
  hangar_dbus_job1_set_state (iface, hangar_job_state_to_string (hangar_job_get_state (self->job)));
  hangar_dbus_job1_set_progress (iface, hangar_job_get_progress (self->job));
  hangar_dbus_job1_set_error (iface, hangar_job_get_error (self->job));
  hangar_dbus_job1_set_result (iface, hangar_job_get_result (self->job));
}

static void
on_job_changed (HangarJob     *job,
                HangarJobImpl *self)
{
  sync_properties (self);
}

static gboolean
handle_cancel (HangarDBusJob1        *iface,
               GDBusMethodInvocation *invocation)
{
  HangarJobImpl *self = HANGAR_JOB_IMPL (iface);
  GError *error = NULL;

  if (!hangar_job_cancel (self->job, &error))
    g_dbus_method_invocation_take_error (invocation, error);
  else
    hangar_dbus_job1_complete_cancel (iface, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
hangar_job_iface_init (HangarDBusJob1Iface *iface)
{
  iface->handle_cancel = handle_cancel;
}

static void
hangar_job_impl_dispose (GObject *object)
{
  HangarJobImpl *self = HANGAR_JOB_IMPL (object);

  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
  G_OBJECT_CLASS (hangar_job_impl_parent_class)->dispose (object);
}

static void
hangar_job_impl_class_init (HangarJobImplClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hangar_job_impl_dispose;
}

static void
hangar_job_impl_init (HangarJobImpl *self)
{
}

HangarJobImpl *
hangar_job_impl_new (HangarJob *job)
{
  HangarJobImpl *self = g_object_new (HANGAR_TYPE_JOB_IMPL, NULL);

  self->job = g_object_ref (job);
  g_signal_connect (job, "changed", G_CALLBACK (on_job_changed), self);
  sync_properties (self);
  return self;
}
