import type {
  ConnectionSetView, PrerequisitesView, ProjectView, ReviewView, RunOrScheduleView, ServiceProblemView, SetupView,
} from '../setup/views';
import { AdaptiveCardJson, cardTemplate, literal } from './cardRenderer';

const prerequisitesCard = cardTemplate<PrerequisitesView>('setupPrerequisites');
const connectionSetCard = cardTemplate<ConnectionSetView>('setupConnectionSet');
const projectCard = cardTemplate<ProjectView>('setupProject');
const reviewCard = cardTemplate<ReviewView>('setupReview');
const runOrScheduleCard = cardTemplate<RunOrScheduleView>('setupRunOrSchedule');
const serviceProblemCard = cardTemplate<ServiceProblemView>('serviceProblem');

/** The card of a setup form's view. Text that lands in markdown is escaped here. */
export function setupCard(view: SetupView): AdaptiveCardJson {
  switch (view.form) {
    case 'prerequisites': return prerequisitesCard(view.view);
    case 'connectionSet': return connectionSetCard(view.view);
    case 'project': return projectCard(view.view);
    case 'review': return reviewCard({ ...view.view, facts: view.view.facts.map((f) => ({ title: f.title, value: literal(f.value) })) });
    case 'runOrSchedule': return runOrScheduleCard({ ...view.view, projectName: literal(view.view.projectName) });
    case 'serviceProblem': return serviceProblemCard(view.view);
  }
}
